package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestParseVerdictIsLenient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want domain.Verdict
		ok   bool
	}{
		{"JSON string", `{"verdict": "2", "reason": "r"}`, domain.VerdictSecond, true},
		{"JSON number", `{"verdict": 1}`, domain.VerdictFirst, true},
		{"JSON tie", `{"verdict": "tie"}`, domain.VerdictTie, true},
		{"JSON letter in a code fence", "```json\n{\"winner\": \"B\"}\n```", domain.VerdictSecond, true},
		{"JSON label", `{"better": "Answer 1"}`, domain.VerdictFirst, true},
		{"JSON draw", `{"result": "Draw."}`, domain.VerdictTie, true},
		{"prose answer", "I prefer Answer 2 because it is correct.", domain.VerdictSecond, true},
		{"prose tie first", "It is a tie: Answer 1 and Answer 2 are equally good.", domain.VerdictTie, true},
		{"unknown JSON value falls back to prose", `{"verdict": "maybe"} Answer 1 wins`, domain.VerdictFirst, true},
		{"nothing usable", "I cannot decide.", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _, ok := parseVerdict(tt.in)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}
