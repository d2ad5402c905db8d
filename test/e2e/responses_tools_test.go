package e2e

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// responsesTools is a Responses flat function tool.
const responsesTools = `[{"type":"function","name":"lookup","description":"search","parameters":{"type":"object","properties":{"query":{"type":"string"}}}}]`

// The Responses tool loop in passthrough: the second turn's function_call
// and function_call_output items reach the upstream as an assistant tool
// call and a tool result, so the upstream answers text instead of calling
// the tool again.
func TestResponsesPassthroughToolLoop(t *testing.T) {
	s := startStack(t, stackOptions{})
	for _, model := range []string{mWorkerOAI, mWorkerOll} {
		for _, stream := range []bool{false, true} {
			t.Run(model+" stream="+strconv.FormatBool(stream), func(t *testing.T) {
				s.fake.Reset()
				first := s.call(t, http.MethodPost, "/v1/responses", `{"model":"`+model+`","stream":`+strconv.FormatBool(stream)+
					`,"tools":`+responsesTools+`,"input":"`+fakeupstream.ToolTrigger+` Paris"}`, nil)
				require.Equal(t, http.StatusOK, first.status, string(first.body))
				call := responsesFunctionCall(t, first.body, stream)
				require.Equal(t, "lookup", call["name"])
				require.JSONEq(t, `{"query":"Paris"}`, str(call["arguments"]))
				callID := str(call["call_id"])
				require.NotEmpty(t, callID)

				input, err := json.Marshal([]any{
					map[string]any{"role": "user", "content": fakeupstream.ToolTrigger + " Paris"},
					map[string]any{"type": "reasoning", "id": "rs_1", "summary": []any{}},
					call,
					map[string]any{"type": "function_call_output", "call_id": callID, "output": "sunny, 21C"},
				})
				require.NoError(t, err)
				second := s.call(t, http.MethodPost, "/v1/responses", `{"model":"`+model+`","stream":`+strconv.FormatBool(stream)+
					`,"tools":`+responsesTools+`,"input":`+string(input)+`}`, nil)
				require.Equal(t, http.StatusOK, second.status, string(second.body))
				require.Contains(t, responsesText(t, second.body, stream), "read the tool result: sunny, 21C")

				up := lastCallTo(t, s.fake.Requests(), model)
				require.Len(t, up.Messages, 3, "user, assistant tool call, tool result (the reasoning item is dropped)")
				require.Equal(t, []string{"lookup"}, up.Messages[1].ToolCalls)
				require.Equal(t, "tool", up.Messages[2].Role)
				require.Equal(t, "sunny, 21C", up.Messages[2].Content)
				if model == mWorkerOAI {
					require.Equal(t, callID, up.Messages[2].ToolCallID)
				} else {
					require.Equal(t, "lookup", up.Messages[2].ToolName, "Ollama's tool_name comes from the matching call")
				}
			})
		}
	}
	s.noPanics(t)
}

// responsesFunctionCall returns the function_call output item of a
// response body or of its stream's response.completed event, checking on a
// stream that the delta and done events carry the same arguments.
func responsesFunctionCall(t *testing.T, body []byte, stream bool) map[string]any {
	t.Helper()
	resp := responsesFinal(t, body, stream)
	for _, it := range asList(resp["output"]) {
		if m, _ := it.(map[string]any); m["type"] == "function_call" {
			if stream {
				requireFunctionCallEvents(t, body, m)
			}
			return map[string]any{"type": "function_call", "call_id": m["call_id"], "name": m["name"], "arguments": m["arguments"]}
		}
	}
	t.Fatalf("no function_call item in %s", truncate(body, 600))
	return nil
}

// requireFunctionCallEvents checks the streamed events of one call.
func requireFunctionCallEvents(t *testing.T, body []byte, item map[string]any) {
	t.Helper()
	events, _ := parseSSE(t, body)
	var deltas strings.Builder
	done := false
	for _, ev := range events {
		m := decodeMap(t, []byte(ev.data))
		if m["item_id"] != item["id"] {
			continue
		}
		switch ev.event {
		case "response.function_call_arguments.delta":
			deltas.WriteString(str(m["delta"]))
		case "response.function_call_arguments.done":
			done = true
			require.Equal(t, item["name"], m["name"])
			require.Equal(t, item["arguments"], m["arguments"])
		}
	}
	require.True(t, done, "a response.function_call_arguments.done event")
	require.Equal(t, item["arguments"], deltas.String(), "the deltas add up to the arguments")
}

// responsesFinal returns the response object (non-stream) or the one in
// response.completed (stream).
func responsesFinal(t *testing.T, body []byte, stream bool) map[string]any {
	t.Helper()
	if !stream {
		return decodeMap(t, body)
	}
	events, _ := parseSSE(t, body)
	for _, ev := range events {
		if ev.event == "response.completed" {
			m, _ := decodeMap(t, []byte(ev.data))["response"].(map[string]any)
			return m
		}
	}
	t.Fatalf("no response.completed in %s", truncate(body, 600))
	return nil
}

// responsesText is a response's output_text.
func responsesText(t *testing.T, body []byte, stream bool) string {
	t.Helper()
	return str(responsesFinal(t, body, stream)["output_text"])
}

// Responses text.format reaches upstreams as their own structured-output
// parameter: Chat Completions' response_format, Ollama's format.
func TestResponsesPassthroughForwardsTextFormat(t *testing.T) {
	s := startStack(t, stackOptions{})
	schema := `{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`
	for _, tc := range []struct {
		name, model, format, want string
	}{
		{"json_schema to chat", mWorkerOAI, `{"type":"json_schema","name":"city","strict":true,"schema":` + schema + `}`,
			`{"type":"json_schema","json_schema":{"name":"city","strict":true,"schema":` + schema + `}}`},
		{"json_object to chat", mWorkerOAI, `{"type":"json_object"}`, `{"type":"json_object"}`},
		{"json_schema to Ollama", mWorkerOll, `{"type":"json_schema","name":"city","schema":` + schema + `}`, schema},
		{"json_object to Ollama", mWorkerOll, `{"type":"json_object"}`, `"json"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.fake.Reset()
			r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"`+tc.model+`","text":{"format":`+tc.format+`},"input":"city?"}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			require.JSONEq(t, tc.want, string(lastCallTo(t, s.fake.Requests(), tc.model).ResponseFormat))
		})
	}
	t.Run("text format sends none", func(t *testing.T) {
		s.fake.Reset()
		r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"w-openai","text":{"format":{"type":"text"}},"input":"hi"}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Empty(t, lastCallTo(t, s.fake.Requests(), mWorkerOAI).ResponseFormat)
	})
	t.Run("an unknown format is a 400", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"w-openai","text":{"format":{"type":"yaml"}},"input":"hi"}`, nil)
		require.Equal(t, http.StatusBadRequest, r.status, string(r.body))
	})
}
