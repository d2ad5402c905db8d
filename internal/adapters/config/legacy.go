package config

import (
	"encoding/json"
	"strings"
)

// isLegacy reports whether the file uses the legacy [workflow-integration]
// keys (analyzer_model, worker_models, synthesizer_model).
func (d *document) isLegacy() bool {
	for _, k := range []string{legacyAnalyzerKey, legacyWorkersKey, legacySynthesizerKey} {
		if d.has("workflow-integration." + k) {
			return true
		}
	}
	return false
}

// legacyPlan converts the legacy keys into the workflow plan JSON: analyzer
// = analyzer_model, one model worker per worker_models entry in order,
// synthesizer = synthesizer_model, no selector, no temperatures (as the
// original's migration did). ok is false when a problem was recorded.
func legacyPlan(d *document, in rawIntegration, ps *problems) (string, bool) {
	const where = "workflow-integration"
	if strings.TrimSpace(in.JSON) != "" {
		ps.addAt(where, "[workflow-integration] has both a json plan and legacy keys (analyzer_model, worker_models, synthesizer_model); keep only the json")
		return "", false
	}
	var missing []string
	for _, k := range []string{legacyAnalyzerKey, legacyWorkersKey, legacySynthesizerKey} {
		if !d.has(where + "." + k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		ps.addAt(where, "legacy [workflow-integration] needs analyzer_model, worker_models and synthesizer_model; missing: %s", strings.Join(missing, ", "))
		return "", false
	}
	return legacyPlanJSON(deref(in.AnalyzerModel), in.WorkerModels, deref(in.SynthesizerModel)), true
}

// legacyRefPath maps a model reference path in the plan legacyPlanJSON
// generated back to the legacy key the user wrote.
func legacyRefPath(path string) string {
	const sec = "workflow-integration."
	switch {
	case path == "workflow.analyzer.ref":
		return sec + legacyAnalyzerKey
	case path == "workflow.synthesizer.ref":
		return sec + legacySynthesizerKey
	case strings.HasPrefix(path, "workflow.workers[") && strings.HasSuffix(path, "].name"):
		return sec + legacyWorkersKey + strings.TrimSuffix(strings.TrimPrefix(path, "workflow.workers"), ".name")
	}
	return path
}

type jsonTarget struct {
	Ref  string `json:"ref,omitempty"`
	Name string `json:"name,omitempty"`
}

type jsonPlan struct {
	Analyzer    jsonTarget   `json:"analyzer"`
	Workers     []jsonTarget `json:"workers"`
	Synthesizer jsonTarget   `json:"synthesizer"`
}

// legacyPlanJSON renders the migrated plan, pretty-printed: analyzer and
// synthesizer use "ref", model workers use "name", as the original wrote it.
func legacyPlanJSON(analyzer string, workers []string, synthesizer string) string {
	p := jsonPlan{
		Analyzer:    jsonTarget{Ref: analyzer},
		Workers:     make([]jsonTarget, 0, len(workers)),
		Synthesizer: jsonTarget{Ref: synthesizer},
	}
	for _, w := range workers {
		p.Workers = append(p.Workers, jsonTarget{Name: w})
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		// Marshalling plain strings cannot fail; keep the zero plan visible.
		return "{}"
	}
	return string(b)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
