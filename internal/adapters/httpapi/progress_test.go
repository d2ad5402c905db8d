package httpapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// progressEvents are two progress lines around a keep-alive, then the answer.
func progressEvents() []domain.StreamEvent {
	return []domain.StreamEvent{
		{Delta: domain.Delta{Reasoning: "worker A done in 1.0 s (12 tokens)\n"}}, keepAlive,
		{Delta: domain.Delta{Reasoning: "selector chose Response A\n"}},
		{Delta: domain.Delta{Text: "Hel"}}, {Delta: domain.Delta{Text: "lo"}},
	}
}

func TestResponsesStreamSendsProgressAsAReasoningItemBeforeTheMessage(t *testing.T) {
	s, gw := newTestServer(t)
	res := result("Hello")
	res.Reasoning = "worker A done in 1.0 s (12 tokens)\nselector chose Response A\n"
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(progressEvents(), res, nil))
	rec := serve(t, s, http.MethodPost, "/v1/responses", `{"stream":true,"input":"x"}`)
	require.Equal(t, http.StatusOK, rec.Code)

	type step struct {
		typ                 string
		output, summary, ci any
	}
	var got []step
	frames := dataFrames(t, parseSSE(t, rec.Body.String()))
	for i, f := range frames {
		require.EqualValues(t, i, f["sequence_number"])
		got = append(got, step{f["type"].(string), f["output_index"], f["summary_index"], f["content_index"]})
	}
	zero, one := float64(0), float64(1)
	require.Equal(t, []step{
		{"response.created", nil, nil, nil},
		{"response.in_progress", nil, nil, nil},
		{"response.output_item.added", zero, nil, nil},
		{"response.reasoning_summary_part.added", zero, zero, nil},
		{"response.reasoning_summary_text.delta", zero, zero, nil},
		{"response.reasoning_summary_text.delta", zero, zero, nil},
		{"response.reasoning_summary_text.done", zero, zero, nil},
		{"response.reasoning_summary_part.done", zero, zero, nil},
		{"response.output_item.done", zero, nil, nil},
		{"response.output_item.added", one, nil, nil},
		{"response.content_part.added", one, nil, zero},
		{"response.output_text.delta", one, nil, zero},
		{"response.output_text.delta", one, nil, zero},
		{"response.output_text.done", one, nil, zero},
		{"response.content_part.done", one, nil, zero},
		{"response.output_item.done", one, nil, nil},
		{"response.completed", nil, nil, nil},
	}, got)
	require.Equal(t, res.Reasoning, frames[6]["text"])
	done := frames[8]["item"].(map[string]any)
	require.Equal(t, "reasoning", done["type"])
	require.Equal(t, []any{map[string]any{"type": "summary_text", "text": res.Reasoning}}, done["summary"])
	output := frames[len(frames)-1]["response"].(map[string]any)["output"].([]any)
	require.Len(t, output, 2)
	require.Equal(t, done, output[0], "the completed response holds the same reasoning item first")
	require.Equal(t, "message", output[1].(map[string]any)["type"])
	for _, f := range frames {
		checkSchema(t, f, "ResponseStreamEvent")
	}
}

func TestTheOpenAISDKParsesTheReasoningEvents(t *testing.T) {
	client, _, gw := newSDK(t)
	res := result("Hello")
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(progressEvents(), res, nil))
	stream := client.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{
		Model: "chorus", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("hi")}})
	var summary, text string
	var final responses.Response
	for stream.Next() {
		switch ev := stream.Current().AsAny().(type) {
		case responses.ResponseReasoningSummaryTextDeltaEvent:
			require.Empty(t, text, "reasoning comes before the answer")
			summary += ev.Delta
		case responses.ResponseTextDeltaEvent:
			text += ev.Delta
		case responses.ResponseCompletedEvent:
			final = ev.Response
		}
	}
	require.NoError(t, stream.Err())
	require.Equal(t, "worker A done in 1.0 s (12 tokens)\nselector chose Response A\n", summary)
	require.Equal(t, "Hello", text)
	require.Equal(t, "reasoning", final.Output[0].Type)
	require.Equal(t, summary, final.Output[0].AsReasoning().Summary[0].Text)
	require.Equal(t, "Hello", final.OutputText())
}

func TestChatStreamSendsProgressAsReasoningContent(t *testing.T) {
	s, gw := newTestServer(t)
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(progressEvents(), result("Hello"), nil))
	rec := serve(t, s, http.MethodPost, "/v1/chat/completions", `{"stream":true,"messages":[{"role":"user","content":"x"}]}`)
	var seq []string
	for _, f := range dataFrames(t, parseSSE(t, rec.Body.String())) {
		d := f["choices"].([]any)[0].(map[string]any)["delta"].(map[string]any)
		if r, ok := d["reasoning_content"].(string); ok {
			seq = append(seq, "reasoning:"+r)
		}
		if c, ok := d["content"].(string); ok && c != "" {
			seq = append(seq, "content:"+c)
		}
	}
	require.Equal(t, []string{"reasoning:worker A done in 1.0 s (12 tokens)\n", "reasoning:selector chose Response A\n",
		"content:Hel", "content:lo"}, seq)
}

func TestOllamaChatStreamSendsProgressAsThinking(t *testing.T) {
	s, gw := newTestServer(t)
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(progressEvents(), result("Hello"), nil))
	rec := serve(t, s, http.MethodPost, "/api/chat", `{"messages":[{"role":"user","content":"x"}]}`)
	var seq []string
	for _, f := range parseNDJSON(t, rec.Body.String()) {
		m := f["message"].(map[string]any)
		if th, ok := m["thinking"].(string); ok {
			seq = append(seq, "thinking:"+th)
		}
		if c := m["content"].(string); c != "" {
			seq = append(seq, "content:"+c)
		}
	}
	require.Equal(t, []string{"thinking:worker A done in 1.0 s (12 tokens)\n", "thinking:selector chose Response A\n",
		"content:Hel", "content:lo"}, seq)
}

func TestRequestsChooseProgress(t *testing.T) {
	for _, tc := range []struct {
		name, path, body string
		header           []string
		want             domain.Progress
	}{
		{"no choice", "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, nil, domain.ProgressDefault},
		{"header off", "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, []string{progressHeader, "off"}, domain.ProgressOff},
		{"header on", "/v1/responses", `{"input":"x"}`, []string{progressHeader, "reasoning"}, domain.ProgressReasoning},
		{"ollama think false", "/api/chat", `{"stream":false,"think":false,"messages":[{"role":"user","content":"x"}]}`, nil, domain.ProgressOff},
		{"ollama think level", "/api/generate", `{"stream":false,"think":"high","prompt":"x"}`, nil, domain.ProgressReasoning},
		{"the header wins over think", "/api/generate", `{"stream":false,"think":true,"prompt":"x"}`, []string{progressHeader, "off"}, domain.ProgressOff},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, gw := newTestServer(t)
			var got domain.ChatRequest
			gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, result("ok")))
			rec := serve(t, s, http.MethodPost, tc.path, tc.body, tc.header...)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Equal(t, tc.want, got.Progress)
		})
	}
	t.Run("an unknown value is a 400", func(t *testing.T) {
		s, _ := newTestServer(t)
		rec := serve(t, s, http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`, progressHeader, "loud")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		require.Contains(t, rec.Body.String(), `X-Chorus-Progress must be \"reasoning\" or \"off\"`)
	})
}

func TestAWholeResponsesAnswerPutsAskedProgressInAReasoningItem(t *testing.T) {
	s, gw := newTestServer(t)
	res := result("Hello")
	res.Reasoning = "worker A done\n"
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(res, nil)
	rec := serve(t, s, http.MethodPost, "/v1/responses", `{"input":"x"}`)
	out := decodeObject(t, rec.Body.String())["output"].([]any)
	require.Len(t, out, 2)
	item := out[0].(map[string]any)
	require.Equal(t, "reasoning", item["type"])
	require.Equal(t, []any{map[string]any{"type": "summary_text", "text": "worker A done\n"}}, item["summary"])
	require.Equal(t, "Hello", decodeObject(t, rec.Body.String())["output_text"])
}
