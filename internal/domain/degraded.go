package domain

// StatusDegraded is the status of a workflow that answered although one of
// its judging stages (analyzer, selector, synthesizer) failed and its
// documented fallback was used: the answer is real but not what the
// configuration asked for (a wrong synthesizer key still gives HTTP 200).
const StatusDegraded CallStatus = "degraded"

// Degradable stages, in workflow order.
const (
	StageAnalyzer    = "analyzer"
	StageSelector    = "selector"
	StageSynthesizer = "synthesizer"
)

// DegradedStages lists the stages of t, nested plans included, that fell
// back, each once and in workflow order; nil for a nil trace.
func (t *ExecutionTrace) DegradedStages() []string {
	seen := map[string]bool{}
	t.collectDegraded(seen)
	var out []string
	for _, s := range []string{StageAnalyzer, StageSelector, StageSynthesizer} {
		if seen[s] {
			out = append(out, s)
		}
	}
	return out
}

func (t *ExecutionTrace) collectDegraded(seen map[string]bool) {
	if t == nil {
		return
	}
	if t.Analyzer != nil && t.Analyzer.Status == StatusFallback {
		seen[StageAnalyzer] = true
	}
	if t.Selector != nil && t.Selector.Status == StatusFallback {
		seen[StageSelector] = true
	}
	if t.Synthesizer != nil && t.Synthesizer.Status == StatusFallback {
		seen[StageSynthesizer] = true
	}
	for i := range t.Workers {
		t.Workers[i].Nested.collectDegraded(seen)
	}
}
