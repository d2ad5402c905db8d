package e2e

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	official "github.com/chorus-ai/chorus/test/contract"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// Acceptance 6: streamed tool calls follow the official OpenAI document —
// every chat chunk (tool calls as ChatCompletionMessageToolCallChunk) and
// every Responses event (function_call items, function_call_arguments
// delta/done) — through the workflow and in passthrough, one and two calls.
func TestStreamedToolCallsMatchTheOfficialSchemas(t *testing.T) {
	v, err := official.OpenAI()
	require.NoError(t, err)
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: func(r fakeupstream.Request) (fakeupstream.Answer, bool) {
		if r.Kind != fakeupstream.KindToolCall || r.Model != mWorkerOAI {
			return fakeupstream.Answer{}, false
		}
		return fakeupstream.ToolAnswer(r, "", fakeupstream.Call{ID: "call_1", Name: "lookup", Args: `{"query":"Paris"}`},
			fakeupstream.Call{ID: "call_2", Name: "lookup", Args: `{"query":"Rome"}`}), true
	}}})
	// The schema is not vacuous: a fragment without its index is rejected.
	require.Error(t, v.Validate("ChatCompletionMessageToolCallChunk", []byte(`{"id":"call_1","function":{"arguments":"{}"}}`)))
	for _, model := range []string{workflowName, mWorkerOAI} {
		t.Run(model+" chat", func(t *testing.T) {
			r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"`+model+`","stream":true,"tools":`+toolsJSON+
				`,"messages":[{"role":"user","content":"`+fakeupstream.ToolTrigger+` Paris"}]}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			events, _ := parseSSE(t, r.body)
			calls := 0
			for _, ev := range events {
				if ev.data == "[DONE]" {
					continue
				}
				require.NoError(t, v.Validate("CreateChatCompletionStreamResponse", []byte(ev.data)))
				for _, tc := range asList(path(decodeMap(t, []byte(ev.data)), "choices", 0, "delta", "tool_calls")) {
					b, err := json.Marshal(tc)
					require.NoError(t, err)
					require.NoError(t, v.Validate("ChatCompletionMessageToolCallChunk", b), string(b))
					calls++
				}
			}
			require.Positive(t, calls, "the stream carries tool call chunks")
			got, finish, _ := chatToolCalls(t, r, true)
			require.Len(t, got, 2)
			require.Equal(t, "tool_calls", finish)
		})
		t.Run(model+" responses", func(t *testing.T) {
			r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"`+model+`","stream":true,"tools":`+responsesTools+
				`,"input":"`+fakeupstream.ToolTrigger+` Paris"}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			events, _ := parseSSE(t, r.body)
			seen := map[string]int{}
			for _, ev := range events {
				require.NoError(t, v.Validate("ResponseStreamEvent", []byte(ev.data)), ev.data)
				seen[ev.event]++
			}
			require.Equal(t, 2, seen["response.function_call_arguments.delta"])
			require.Equal(t, 2, seen["response.function_call_arguments.done"])
			responsesFunctionCall(t, r.body, true)
		})
	}
	s.noPanics(t)
}
