package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// checkSchema validates one decoded frame against a component schema (any
// of names may match).
func checkSchema(t *testing.T, v any, names ...string) {
	t.Helper()
	doc, _ := loadSpec(t)
	var errs []error
	for _, n := range names {
		ref := doc.Components.Schemas[n]
		require.NotNil(t, ref, "schema %s", n)
		err := ref.Value.VisitJSON(v)
		if err == nil {
			return
		}
		errs = append(errs, err)
	}
	b, _ := json.Marshal(v)
	t.Fatalf("frame %s matches none of %v: %v", b, names, errs)
}

func TestOpenAPI_StreamFramesMatchSchemas(t *testing.T) {
	toolRes := result("Hi")
	toolRes.ToolCalls = []domain.ToolCall{{ID: "call_1", Name: "f", Arguments: `{"a":1}`}}
	events := []domain.StreamEvent{keepAlive, {Delta: domain.Delta{Text: "Hi", Reasoning: "hm"}},
		{Delta: domain.Delta{ToolCalls: []domain.ToolCall{{ID: "call_1", Name: "f", Arguments: `{"a":1}`}}}}}
	fail := &domain.LLMError{Model: "m", Kind: domain.LLMTimeout}
	for _, tc := range []struct {
		name, path, body, accept string
		schemas                  []string
	}{
		{"ollama chat NDJSON", "/api/chat", `{"messages":[{"role":"user","content":"x"}],"include_workflow":true}`, "", []string{"ChorusOllamaChatStreamLine"}},
		{"ollama generate SSE", "/api/generate", `{"prompt":"x","include_workflow":true}`, "text/event-stream", []string{"ChorusOllamaGenerateStreamLine"}},
		{"chat completion chunks", "/v1/chat/completions", `{"stream":true,"stream_options":{"include_usage":true},"include_workflow":true,"messages":[{"role":"user","content":"x"}]}`, "", []string{"ChorusChatCompletionChunk", "ErrorResponse"}},
		{"text completion chunks", "/v1/completions", `{"stream":true,"stream_options":{"include_usage":true},"include_workflow":true,"prompt":"x"}`, "", []string{"ChorusTextCompletionChunk", "ErrorResponse"}},
		{"responses events", "/v1/responses", `{"stream":true,"include_workflow":true,"input":"x"}`, "", []string{"ResponseStreamEvent"}},
	} {
		for _, failing := range []bool{false, true} {
			t.Run(tc.name+map[bool]string{false: " succeeding", true: " failing"}[failing], func(t *testing.T) {
				s, gw := newTestServer(t)
				if failing {
					gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, domain.ChatResult{}, fail))
				} else {
					gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, toolRes, nil))
				}
				var hdr []string
				if tc.accept != "" {
					hdr = []string{"Accept", tc.accept}
				}
				rec := serve(t, s, http.MethodPost, tc.path, tc.body, hdr...)
				require.Equal(t, http.StatusOK, rec.Code)
				var frames []map[string]any
				if contentType(rec) == mimeNDJSON {
					frames = parseNDJSON(t, rec.Body.String())
				} else {
					frames = dataFrames(t, parseSSE(t, rec.Body.String()))
				}
				require.NotEmpty(t, frames)
				for _, f := range frames {
					checkSchema(t, f, tc.schemas...)
				}
			})
		}
	}
}
