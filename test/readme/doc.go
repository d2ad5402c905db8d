// Package readme holds the tests that keep the READMEs true to the real
// binary: the marked commands of README.md and README.en.md run against
// `chorus --demo --port N`, and the docs' links, anchors, make targets and
// TOML snippets are checked against the repository and `chorus validate`.
package readme
