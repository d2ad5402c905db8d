package echo_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm/echo"
	"github.com/chorus-ai/chorus/internal/domain"
)

func TestComplete_the_eval_judge_prefers_the_longer_answer_in_either_order(t *testing.T) {
	m := echo.New(domain.ModelSpec{Name: "echo-judge", Provider: domain.ProviderEcho})
	judge := func(first, second string) string {
		prompt := "Compare.\n\n=== Answer 1 ===\n" + first + "\n\n=== Answer 2 ===\n" + second +
			"\n\nReply with only a JSON object and nothing else, shaped like:\n{\"verdict\": \"1\" or \"2\" or \"tie\"}\n"
		c, err := m.Complete(t.Context(), conv("echo-judge", prompt))
		require.NoError(t, err)
		return c.Text
	}
	require.Contains(t, judge("one two three", "one"), `"verdict": "1"`)
	require.Contains(t, judge("one", "one two three"), `"verdict": "2"`)
	require.Contains(t, judge("one two", "three four"), `"verdict": "tie"`)
}

func TestComplete_the_analyzer_rates_difficulty_by_the_length_of_the_last_message(t *testing.T) {
	m := echo.New(domain.ModelSpec{Name: "echo-analyzer", Provider: domain.ProviderEcho})
	rate := func(last string) string {
		prompt := "Recommend the temperature.\n\nConversation:\nUser: " + last + "\n\nReply with only a JSON object and nothing else"
		c, err := m.Complete(t.Context(), conv("echo-analyzer", prompt))
		require.NoError(t, err)
		return c.Text
	}
	require.Contains(t, rate("Say hello in French."), `"difficulty": "trivial"`)
	require.Contains(t, rate("Explain how a TCP handshake works and why it needs three steps."), `"difficulty": "normal"`)
	require.Contains(t, rate(strings.Repeat("word ", 61)), `"difficulty": "hard"`)
}
