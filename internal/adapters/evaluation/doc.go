// Package evaluation holds the file adapters of `chorus eval`: the JSONL
// prompt reader, the on-disk answer and judgement store that makes a run
// resumable, and the report writers (report.json and a self-contained
// report.html whose charts are inline SVG drawn here, with no script or CDN).
package evaluation
