package bench

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAnUnknownScenarioIsRejectedBeforeAnythingRuns(t *testing.T) {
	o := DefaultOptions()
	o.Scenarios = []string{"open", "wrokflow"}
	err := Run(t.Context(), o, io.Discard)
	require.ErrorContains(t, err, `unknown scenario "wrokflow"`)
	o.Scenarios = Scenarios
	require.NoError(t, o.Validate())
}

func TestAReportWithoutAVerdictIsNotJudged(t *testing.T) {
	r := NewReport(io.Discard)
	r.Add(Row{Scenario: "baseline direct"})
	require.False(t, r.Judged(), "a baseline row judges nothing")
	require.True(t, r.AllPass())
	r.Add(Row{Key: "open", Scenario: "gateway", Verdict: verdict(true, "target")})
	require.True(t, r.Judged())
	require.NoError(t, r.Unjudged([]string{"open"}))
	err := r.Unjudged([]string{"open", "cache", "ttft"})
	require.ErrorIs(t, err, ErrNoVerdict, "a selected scenario that judged nothing fails the run")
	require.ErrorContains(t, err, "cache,ttft")
}

func TestExactCallsAcceptsOnlyThePlannedMean(t *testing.T) {
	require.True(t, exactCalls(6, 6))
	require.False(t, exactCalls(6.5, 6), "a retried or repeated call")
	require.False(t, exactCalls(5.9, 6), "a skipped call")
}
