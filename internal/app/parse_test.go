package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestParseAnalysisIsLenient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want float64
		ok   bool
	}{
		{"plain JSON", `{"temperature": 0.4, "reasoning": "facts"}`, 0.4, true},
		{"a string value", `{"temperature":"0.65","reasoning":"x"}`, 0.65, true},
		{"a code fence", "```json\n{\"temperature\": 0.8}\n```", 0.8, true},
		{"JSON inside prose", "Sure! Here you go: {\"temperature\": 1.1} Hope it helps.", 1.1, true},
		{"a nested key", `{"result": {"temperature": 0.3}}`, 0.3, true},
		{"a prose line", "Analysis done.\nTemperature: 0.42\nReasoning: factual", 0.42, true},
		{"a quoted prose value", `Temperature: "0.42", reasoning: details`, 0.42, true},
		{"a line without a colon", "I suggest a temperature of 0.7 here", 0.7, true},
		{"clamped high", `{"temperature": 3.5}`, 2, true},
		{"clamped low", "temperature: -1", 0, true},
		{"garbage", "I really cannot say.", 0, false},
		{"a temperature word with no number", "temperature should be low-ish", 0, false},
		{"infinity is not a number", "temperature: inf", 0, false},
		{"an object-valued key", `{"temperature": {"value": "x"}}`, 0, false},
		{"both spellings: the sorted first wins every time", `{"temperature": 0.9, "Temperature": 0.2}`, 0.2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseAnalysis(tc.in)
			require.Equal(t, tc.ok, ok)
			require.InDelta(t, tc.want, got.temperature, 1e-9)
		})
	}
}

func TestParseSelectionIsLenient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		n      int
		want   int
		ok     bool
		reason string
	}{
		{"a letter choice", `{"choice": "B", "reason": "complete"}`, 3, 1, true, "complete"},
		{"a label choice", `{"choice": "Response C"}`, 3, 2, true, ""},
		{"a 1-based index", `{"selected_index": 2, "reasoning": "x"}`, 3, 1, true, "x"},
		{"an integral float", `{"index": 3.0}`, 3, 2, true, ""},
		{"a digit string", `{"selected": "1"}`, 3, 0, true, ""},
		{"index keys in priority order", `{"best": 3, "selected_index": 1}`, 3, 0, true, ""},
		{"a nested index", `{"result": {"best_index": 2}}`, 3, 1, true, ""},
		{"a label key only", `{"selected_label": "Response B"}`, 3, 1, true, ""},
		{"fenced JSON after prose", "My pick:\n```json\n{\"choice\": \"C\", \"note\": \"{not a brace}\"}\n```", 3, 2, true, ""},
		{"braces inside strings", `{"reason": "uses } and { freely", "choice": "A"}`, 3, 0, true, "uses } and { freely"},
		{"a label in prose", "Response B is clearly better than Response A.", 3, 1, true, "Response B is clearly better than Response A."},
		{"a bare number in prose", "我认为第1个回答最好", 3, 0, true, "我认为第1个回答最好"},
		{"an out-of-range index falls back to the text", `{"selected_index": 7} but really 2`, 3, 1, true, `{"selected_index": 7} but really 2`},
		{"zero is not an index", `{"choice": 0}`, 3, 0, false, ""},
		{"garbage", "they are all fine", 3, 0, false, ""},
		{"a letter past the candidates", `{"choice": "D"}`, 3, 0, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseSelection(tc.in, tc.n)
			require.Equal(t, tc.ok, ok)
			if tc.ok {
				require.Equal(t, domain.Selection{Index: tc.want, Reasoning: tc.reason}, got)
			}
		})
	}
}
