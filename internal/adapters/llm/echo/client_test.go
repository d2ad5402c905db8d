package echo_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm/echo"
	"github.com/chorus-ai/chorus/internal/domain"
)

// conv is a conversation ending with a user message.
func conv(model string, texts ...string) domain.ModelCall {
	c := domain.ModelCall{Model: model}
	for i, t := range texts {
		role := domain.RoleUser
		if i%2 == 1 {
			role = domain.RoleAssistant
		}
		c.Messages = append(c.Messages, domain.Message{Role: role, Content: t})
	}
	return c
}

func TestComplete_is_deterministic_and_depends_on_model_and_conversation(t *testing.T) {
	m := echo.New(domain.ModelSpec{Name: "echo-a", Provider: domain.ProviderEcho})
	ctx := t.Context()

	a1, err := m.Complete(ctx, conv("echo-a", "What is Go?"))
	require.NoError(t, err)
	a2, err := m.Complete(ctx, conv("echo-a", "What is Go?"))
	require.NoError(t, err)
	other, err := m.Complete(ctx, conv("echo-a", "Earlier turn", "ok", "What is Go?"))
	require.NoError(t, err)
	otherModel, err := m.Complete(ctx, conv("echo-b", "What is Go?"))
	require.NoError(t, err)

	require.Equal(t, a1, a2)
	require.Contains(t, a1.Text, "echo-a")
	require.Contains(t, a1.Text, "What is Go?")
	require.NotEqual(t, a1.Text, other.Text, "the digest covers the whole conversation")
	require.Contains(t, otherModel.Text, "echo-b")
	require.Equal(t, domain.Usage{InputTokens: 3, OutputTokens: len(strings.Fields(a1.Text))}, a1.Usage)
	require.Equal(t, domain.FinishStop, a1.FinishReason)
	require.Equal(t, 1, a1.Attempts)
}

func TestComplete_truncates_a_long_echo(t *testing.T) {
	m := echo.New(domain.ModelSpec{Name: "e"})

	comp, err := m.Complete(t.Context(), conv("e", strings.Repeat("word ", 500)))

	require.NoError(t, err)
	require.Less(t, len(comp.Text), 400)
	require.True(t, strings.HasSuffix(comp.Text, "…"))
}

func TestStream_emits_several_chunks_that_add_up_to_the_answer(t *testing.T) {
	cases := []struct{ name, prompt string }{
		{name: "a short prompt", prompt: "hi"},
		{name: "a long prompt", prompt: strings.Repeat("lorem ipsum ", 60)},
		{name: "the analyzer prompt", prompt: `Recommend a temperature. Return only JSON: {"temperature": 0.7}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := echo.New(domain.ModelSpec{Name: "e"})
			var chunks []domain.Delta

			comp, err := m.Stream(t.Context(), conv("e", tc.prompt), func(d domain.Delta) error {
				chunks = append(chunks, d)
				return nil
			})

			require.NoError(t, err)
			require.GreaterOrEqual(t, len(chunks), 3)
			var b strings.Builder
			for _, c := range chunks {
				b.WriteString(c.Text)
			}
			require.Equal(t, comp.Text, b.String())
			want, err := m.Complete(t.Context(), conv("e", tc.prompt))
			require.NoError(t, err)
			require.Equal(t, want.Text, comp.Text, "stream and complete agree")
			require.Equal(t, domain.FinishStop, chunks[len(chunks)-1].FinishReason)
		})
	}
}

func TestComplete_answers_the_workflow_stages_in_JSON(t *testing.T) {
	cases := []struct {
		name   string
		prompt string
		check  func(t *testing.T, v map[string]any)
	}{
		{name: "analyzer (English)", prompt: "Analyse the prompt and recommend a temperature between 0.0 and 2.0. Respond with JSON only.",
			check: func(t *testing.T, v map[string]any) {
				require.InDelta(t, 0.7, v["temperature"], 0)
				require.Equal(t, "general", v["task_type"])
			}},
		{name: "analyzer (original Chinese)", prompt: "请分析以下用户提示，并推荐 temperature。\n\n用户提示: hi\n\n只返回 JSON：{\"temperature\": 0.7, \"reasoning\": \"…\"}",
			check: func(t *testing.T, v map[string]any) { require.InDelta(t, 0.7, v["temperature"], 0) }},
		{name: "selector by key", prompt: "Pick the best. Return JSON with selected_index and reasoning.",
			check: func(t *testing.T, v map[string]any) { require.EqualValues(t, 1, v["selected_index"]) }},
		{name: "selector by labels", prompt: "Judge these.\n\n=== Response A ===\nfoo\n\n=== Response B ===\nbar\n\nReply with only a JSON object: {\"choice\": \"A\"}",
			check: func(t *testing.T, v map[string]any) { require.EqualValues(t, 1, v["selected_index"]) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := echo.New(domain.ModelSpec{Name: "e"})

			comp, err := m.Complete(t.Context(), conv("e", tc.prompt))

			require.NoError(t, err)
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(comp.Text), &v), "answer: %s", comp.Text)
			require.NotEmpty(t, v["reasoning"])
			tc.check(t, v)
		})
	}
}

func TestComplete_other_prompts_get_an_echo(t *testing.T) {
	cases := []struct{ name, prompt string }{
		{name: "a question about temperature", prompt: "What temperature does water boil at?"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := echo.New(domain.ModelSpec{Name: "e"})

			comp, err := m.Complete(t.Context(), conv("e", tc.prompt))

			require.NoError(t, err)
			require.Contains(t, comp.Text, "You said: "+strings.Fields(tc.prompt)[0])
			require.False(t, json.Valid([]byte(comp.Text)))
		})
	}
}

func TestComplete_a_synthesizer_prompt_gets_its_strongest_draft(t *testing.T) {
	m := echo.New(domain.ModelSpec{Name: "synth"})
	prompt := "Write the best reply.\n\nThe strongest draft is:\n\n=== Response A ===\nfoo  bar\n\nOther drafts:\n\n=== Response B ===\nbaz\n\nAnswer the user directly."

	comp, err := m.Complete(t.Context(), conv("synth", prompt))

	require.NoError(t, err)
	require.True(t, strings.HasPrefix(comp.Text, "[echo synth #"), comp.Text)
	require.True(t, strings.HasSuffix(comp.Text, "] Best of 2 drafts: foo bar"), comp.Text)
}

func TestEcho_respects_a_finished_context(t *testing.T) {
	m := echo.New(domain.ModelSpec{Name: "e"})
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithTimeout(t.Context(), 0)
	defer cancel2()

	_, err := m.Complete(canceled, conv("e", "hi"))
	require.ErrorIs(t, err, domain.ErrCanceled)
	_, err = m.Complete(expired, conv("e", "hi"))
	require.ErrorIs(t, err, domain.ErrStageTimeout)

	streamCtx, stop := context.WithCancel(t.Context())
	defer stop()
	n := 0
	_, err = m.Stream(streamCtx, conv("e", "one two three four five"), func(domain.Delta) error {
		n++
		stop()
		return nil
	})
	var lerr *domain.LLMError
	require.ErrorAs(t, err, &lerr)
	require.Equal(t, domain.LLMCanceled, lerr.Kind)
	require.Equal(t, 1, n, "no chunk is emitted after the cancel")
}
