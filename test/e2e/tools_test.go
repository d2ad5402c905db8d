package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

const toolsJSON = `[{"type":"function","function":{"name":"lookup","description":"search","parameters":{"type":"object","properties":{"query":{"type":"string"}}}}}]`

func TestPassthroughForwardsToolsAndRelaysToolCalls(t *testing.T) {
	s := startStack(t, stackOptions{})
	prompt := fakeupstream.ToolTrigger + " weather in Paris"
	wantArgs := `{"query":"weather in Paris"}`

	t.Run("OpenAI chat non-stream relays tool_calls with finish_reason tool_calls", func(t *testing.T) {
		s.fake.Reset()
		body := `{"model":"w-openai","max_tokens":64,"tool_choice":"auto","tools":` + toolsJSON +
			`,"messages":[{"role":"user","content":"` + prompt + `"}]}`
		r := s.call(t, http.MethodPost, "/v1/chat/completions", body, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		m := decodeMap(t, r.body)
		require.Equal(t, "tool_calls", path(m, "choices", 0, "finish_reason"))
		call := path(m, "choices", 0, "message", "tool_calls", 0)
		require.Equal(t, "function", path(call, "type"))
		require.NotEmpty(t, path(call, "id"))
		require.Equal(t, "lookup", path(call, "function", "name"))
		require.JSONEq(t, wantArgs, str(path(call, "function", "arguments")))
		up := lastCallTo(t, s.fake.Requests(), mWorkerOAI)
		require.Equal(t, []string{"lookup"}, up.Tools, "tools are forwarded")
		require.JSONEq(t, `"auto"`, string(up.ToolChoice), "tool_choice is forwarded")
		require.Equal(t, 64, *up.MaxTokens)
	})

	t.Run("OpenAI chat stream relays tool call fragments", func(t *testing.T) {
		s.fake.Reset()
		body := `{"model":"w-openai","stream":true,"tools":` + toolsJSON +
			`,"messages":[{"role":"user","content":"` + prompt + `"}]}`
		r := s.call(t, http.MethodPost, "/v1/chat/completions", body, nil)
		require.Equal(t, http.StatusOK, r.status)
		events, _ := parseSSE(t, r.body)
		require.Equal(t, "[DONE]", events[len(events)-1].data)
		name, args, finish := streamedToolCall(t, events[:len(events)-1])
		require.Equal(t, "lookup", name)
		require.JSONEq(t, wantArgs, args)
		require.Equal(t, "tool_calls", finish)
	})

	t.Run("Ollama chat relays tool calls with object arguments", func(t *testing.T) {
		s.fake.Reset()
		body := `{"model":"w-ollama","stream":false,"tools":` + toolsJSON +
			`,"messages":[{"role":"user","content":"` + prompt + `"}]}`
		r := s.call(t, http.MethodPost, "/api/chat", body, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		m := decodeMap(t, r.body)
		args, ok := path(m, "message", "tool_calls", 0, "function", "arguments").(map[string]any)
		require.True(t, ok, "arguments is a JSON object on Ollama routes: %s", r.body)
		b, _ := json.Marshal(args)
		require.JSONEq(t, wantArgs, string(b))
		require.Equal(t, "lookup", path(m, "message", "tool_calls", 0, "function", "name"))
		require.Equal(t, []string{"lookup"}, lastCallTo(t, s.fake.Requests(), mWorkerOll).Tools)
	})

	t.Run("an OpenAI client reaching an Ollama model still gets string arguments", func(t *testing.T) {
		body := `{"model":"w-ollama","tools":` + toolsJSON + `,"messages":[{"role":"user","content":"` + prompt + `"}]}`
		r := s.call(t, http.MethodPost, "/v1/chat/completions", body, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.JSONEq(t, wantArgs, str(path(decodeMap(t, r.body), "choices", 0, "message", "tool_calls", 0, "function", "arguments")))
	})
	s.noPanics(t)
}

// streamedToolCall joins the tool-call fragments of chat chunks into the
// call's name and arguments, with the chunks' finish_reason.
func streamedToolCall(t *testing.T, events []sseEvent) (name, args, finish string) {
	t.Helper()
	var n, a strings.Builder
	for _, ev := range events {
		m := decodeMap(t, []byte(ev.data))
		if f := str(path(m, "choices", 0, "finish_reason")); f != "" {
			finish = f
		}
		tcs, _ := path(m, "choices", 0, "delta", "tool_calls").([]any)
		for _, tc := range tcs {
			n.WriteString(str(path(tc, "function", "name")))
			a.WriteString(str(path(tc, "function", "arguments")))
		}
	}
	return n.String(), a.String(), finish
}
