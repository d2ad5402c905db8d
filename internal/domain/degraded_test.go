package domain

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDegradedStagesListsEveryFallbackOnceInWorkflowOrder(t *testing.T) {
	t.Parallel()
	fallback := CallTrace{Status: StatusFallback}
	nested := &ExecutionTrace{Selector: &SelectorTrace{CallTrace: fallback},
		Synthesizer: &SynthesizerTrace{CallTrace: fallback}}
	tr := &ExecutionTrace{
		Analyzer:    &AnalyzerTrace{CallTrace: CallTrace{Status: StatusSkipped}},
		Workers:     []WorkerTrace{{Label: "a"}, {Label: "workflow:b", Nested: nested}},
		Selector:    &SelectorTrace{CallTrace: CallTrace{Status: StatusOK}},
		Synthesizer: &SynthesizerTrace{CallTrace: fallback},
	}
	require.Equal(t, []string{StageSelector, StageSynthesizer}, tr.DegradedStages())

	tr.Synthesizer.Status, nested.Selector.Status, nested.Synthesizer.Status = StatusOK, StatusOK, StatusSkipped
	require.Empty(t, tr.DegradedStages(), "skipped stages are not degraded")
	var none *ExecutionTrace
	require.Empty(t, none.DegradedStages())
}
