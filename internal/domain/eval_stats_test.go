package domain

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWilsonInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		successes float64
		n         int
		low, high float64
	}{
		{"8 of 10", 8, 10, 0.4902, 0.9433},
		{"none of 10", 0, 10, 0, 0.2775},
		{"all of 4", 4, 4, 0.5101, 1},
		{"half of 100", 50, 100, 0.4038, 0.5962},
		{"no trials", 0, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			low, high := WilsonInterval(tt.successes, tt.n)
			require.InDelta(t, tt.low, low, 1e-4)
			require.InDelta(t, tt.high, high, 1e-4)
		})
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	v := []float64{40, 10, 30, 20}
	require.InDelta(t, 25, Percentile(v, 0.5), 1e-12)
	require.InDelta(t, 38.5, Percentile(v, 0.95), 1e-12)
	require.InDelta(t, 10, Percentile(v, 0), 1e-12)
	require.Zero(t, Percentile(nil, 0.5))
	require.Equal(t, []float64{40, 10, 30, 20}, v, "the input is not reordered")
}

func TestPairResult_Outcome(t *testing.T) {
	t.Parallel()
	j := func(v Verdict) Judgement { return Judgement{Verdict: v} }
	tests := []struct {
		name           string
		wfFirst, opFst Verdict
		want           Outcome
		biased         bool
	}{
		{"workflow preferred in both orders", VerdictFirst, VerdictSecond, OutcomeWin, false},
		{"opponent preferred in both orders", VerdictSecond, VerdictFirst, OutcomeLoss, false},
		{"first position always wins", VerdictFirst, VerdictFirst, OutcomeTie, true},
		{"win and tie", VerdictFirst, VerdictTie, OutcomeWin, true},
		{"loss and tie", VerdictTie, VerdictFirst, OutcomeLoss, true},
		{"two ties", VerdictTie, VerdictTie, OutcomeTie, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := PairResult{WorkflowFirst: j(tt.wfFirst), OpponentFirst: j(tt.opFst)}
			require.Equal(t, tt.want, p.Outcome())
			require.Equal(t, tt.biased, p.PositionBiased())
		})
	}
}
