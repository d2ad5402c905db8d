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

// textWorker scripts the Ollama worker to answer text to everything, so a
// workflow run has one worker calling tools and one answering text.
func textWorker(r fakeupstream.Request) (fakeupstream.Answer, bool) {
	if r.Model == mWorkerOll && r.Kind == fakeupstream.KindToolCall {
		return fakeupstream.TextAnswer(r, "I would rather explain it in words."), true
	}
	return fakeupstream.Answer{}, false
}

// chatToolCalls reads the tool calls and finish reason of a chat completion
// or of its stream (fragments joined by index).
func chatToolCalls(t *testing.T, r response, stream bool) (calls []map[string]string, finish, text string) {
	t.Helper()
	if !stream {
		m := decodeMap(t, r.body)
		for _, tc := range asList(path(m, "choices", 0, "message", "tool_calls")) {
			calls = append(calls, map[string]string{"id": str(path(tc, "id")), "name": str(path(tc, "function", "name")),
				"arguments": str(path(tc, "function", "arguments"))})
		}
		return calls, str(path(m, "choices", 0, "finish_reason")), str(path(m, "choices", 0, "message", "content"))
	}
	events, _ := parseSSE(t, r.body)
	var b strings.Builder
	for _, ev := range events {
		if ev.data == "[DONE]" {
			continue
		}
		m := decodeMap(t, []byte(ev.data))
		b.WriteString(str(path(m, "choices", 0, "delta", "content")))
		if f := str(path(m, "choices", 0, "finish_reason")); f != "" {
			finish = f
		}
		for _, tc := range asList(path(m, "choices", 0, "delta", "tool_calls")) {
			i := int(path(tc, "index").(float64))
			for len(calls) <= i {
				calls = append(calls, map[string]string{})
			}
			if id := str(path(tc, "id")); id != "" {
				calls[i]["id"] = id
			}
			calls[i]["name"] += str(path(tc, "function", "name"))
			calls[i]["arguments"] += str(path(tc, "function", "arguments"))
		}
	}
	return calls, finish, b.String()
}

// A two-step tool loop through the workflow model on Chat Completions: one
// worker calls the tool, the other answers text; the answer is the call,
// and the tool result reaches both workers on the second step.
func TestWorkflowChatToolLoop(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: textWorker}})
	for _, stream := range []bool{false, true} {
		t.Run("stream="+strconv.FormatBool(stream), func(t *testing.T) {
			s.fake.Reset()
			user := `{"role":"user","content":"` + fakeupstream.ToolTrigger + ` Paris"}`
			r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,"stream":`+
				strconv.FormatBool(stream)+`,"tools":`+toolsJSON+`,"messages":[`+user+`]}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			calls, finish, _ := chatToolCalls(t, r, stream)
			require.Equal(t, "tool_calls", finish)
			require.Len(t, calls, 1)
			require.Equal(t, "lookup", calls[0]["name"])
			require.JSONEq(t, `{"query":"Paris"}`, calls[0]["arguments"])
			require.NotEmpty(t, calls[0]["id"])
			for _, m := range []string{mWorkerOAI, mWorkerOll} {
				up := lastCallTo(t, s.fake.Requests(), m)
				require.Equal(t, []string{"lookup"}, up.Tools, "%s is offered the tools", m)
			}
			if !stream {
				wf := decodeMap(t, r.body)["workflow"]
				require.Equal(t, "tool_calls", path(wf, "output", "kind"))
				require.Equal(t, "skipped", path(wf, "synthesizer", "status"))
				require.Equal(t, "lookup", path(wf, "workers", 0, "tool_calls", 0, "name"))
				require.EqualValues(t, len(`{"query":"Paris"}`), path(wf, "workers", 0, "tool_calls", 0, "argument_bytes"))
				require.NotContains(t, string(r.body), `\"query\":\"Paris\"}","workers"`, "argument values stay out of the trace")
			}

			asst, err := json.Marshal(map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{map[string]any{
				"id": calls[0]["id"], "type": "function", "function": map[string]any{"name": "lookup", "arguments": calls[0]["arguments"]}}}})
			require.NoError(t, err)
			tool := `{"role":"tool","tool_call_id":"` + calls[0]["id"] + `","content":"sunny, 21C"}`
			s.fake.Reset()
			r = s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","stream":`+strconv.FormatBool(stream)+
				`,"tools":`+toolsJSON+`,"messages":[`+user+`,`+string(asst)+`,`+tool+`]}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			calls, finish, text := chatToolCalls(t, r, stream)
			require.Empty(t, calls)
			require.Equal(t, "stop", finish)
			require.NotEmpty(t, text)
			for _, m := range []string{mWorkerOAI, mWorkerOll} {
				msgs := lastCallTo(t, s.fake.Requests(), m).Messages
				last := msgs[len(msgs)-1]
				require.Equal(t, "tool", last.Role, "%s gets the tool result", m)
				require.Equal(t, "sunny, 21C", last.Content)
				require.Equal(t, []string{"lookup"}, msgs[len(msgs)-2].ToolCalls)
			}
		})
	}
	s.noPanics(t)
}

// The same loop on Ollama /api/chat and on the Responses API.
func TestWorkflowToolLoopOnOllamaAndResponses(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: textWorker}})
	for _, stream := range []bool{false, true} {
		t.Run("ollama stream="+strconv.FormatBool(stream), func(t *testing.T) {
			user := `{"role":"user","content":"` + fakeupstream.ToolTrigger + ` Paris"}`
			r := s.call(t, http.MethodPost, "/api/chat", `{"model":"chorus","stream":`+strconv.FormatBool(stream)+
				`,"tools":`+toolsJSON+`,"messages":[`+user+`]}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			var call any
			lines := []map[string]any{decodeMapOrNil(r.body, stream)}
			if stream {
				lines = parseNDJSON(t, r.body)
			}
			for _, l := range lines {
				if tc := asList(path(l, "message", "tool_calls")); len(tc) > 0 {
					call = tc[0]
				}
			}
			require.NotNil(t, call, string(r.body))
			require.Equal(t, "lookup", path(call, "function", "name"))
			require.Equal(t, "Paris", path(call, "function", "arguments", "query"), "Ollama arguments are an object")

			s.fake.Reset()
			asst := `{"role":"assistant","content":"","tool_calls":[{"function":{"name":"lookup","arguments":{"query":"Paris"}}}]}`
			tool := `{"role":"tool","tool_name":"lookup","content":"sunny, 21C"}`
			r = s.call(t, http.MethodPost, "/api/chat", `{"model":"chorus","stream":`+strconv.FormatBool(stream)+
				`,"tools":`+toolsJSON+`,"messages":[`+user+`,`+asst+`,`+tool+`]}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			msgs := lastCallTo(t, s.fake.Requests(), mWorkerOAI).Messages
			require.Equal(t, "sunny, 21C", msgs[len(msgs)-1].Content)
		})
		t.Run("responses stream="+strconv.FormatBool(stream), func(t *testing.T) {
			first := s.call(t, http.MethodPost, "/v1/responses", `{"model":"chorus","stream":`+strconv.FormatBool(stream)+
				`,"tools":`+responsesTools+`,"input":"`+fakeupstream.ToolTrigger+` Paris"}`, nil)
			require.Equal(t, http.StatusOK, first.status, string(first.body))
			call := responsesFunctionCall(t, first.body, stream)
			require.JSONEq(t, `{"query":"Paris"}`, str(call["arguments"]))
			input, err := json.Marshal([]any{
				map[string]any{"role": "user", "content": fakeupstream.ToolTrigger + " Paris"}, call,
				map[string]any{"type": "function_call_output", "call_id": call["call_id"], "output": "sunny, 21C"},
			})
			require.NoError(t, err)
			s.fake.Reset()
			second := s.call(t, http.MethodPost, "/v1/responses", `{"model":"chorus","stream":`+strconv.FormatBool(stream)+
				`,"tools":`+responsesTools+`,"input":`+string(input)+`}`, nil)
			require.Equal(t, http.StatusOK, second.status, string(second.body))
			require.NotEmpty(t, responsesText(t, second.body, stream))
			for _, m := range []string{mWorkerOAI, mWorkerOll} {
				msgs := lastCallTo(t, s.fake.Requests(), m).Messages
				require.Equal(t, "sunny, 21C", msgs[len(msgs)-1].Content, "%s gets the tool result", m)
			}
		})
	}
	s.noPanics(t)
}

func decodeMapOrNil(b []byte, stream bool) map[string]any {
	if stream {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// Acceptance 3: parallel calls, a forced function, tool_choice none, a
// malformed candidate and every worker answering text while required.
func TestWorkflowToolChoiceRules(t *testing.T) {
	ts := startToolStack(t)
	s, workers, ask := ts.stack, ts.workers, ts.ask
	text, call := plainText, sameIDCalls

	t.Run("parallel tool calls get unique ids", func(t *testing.T) {
		workers(call(`{"query":"Paris"}`, `{"query":"Rome"}`), text)
		status, m := ask(t, "")
		require.Equal(t, http.StatusOK, status, m)
		calls := asList(path(m, "choices", 0, "message", "tool_calls"))
		require.Len(t, calls, 2)
		require.NotEqual(t, path(calls[0], "id"), path(calls[1], "id"), "the upstream repeated its id; the answer's ids are unique")
		require.JSONEq(t, `{"query":"Rome"}`, str(path(calls[1], "function", "arguments")))
		require.Equal(t, "tool_calls", path(m, "choices", 0, "finish_reason"))
	})
	t.Run("parallel_tool_calls false drops a candidate with two calls", func(t *testing.T) {
		workers(call(`{"query":"Paris"}`, `{"query":"Rome"}`), call(`{"query":"Paris"}`))
		status, m := ask(t, `,"parallel_tool_calls":false`)
		require.Equal(t, http.StatusOK, status, m)
		require.Len(t, asList(path(m, "choices", 0, "message", "tool_calls")), 1)
		require.Contains(t, path(m, "workflow", "workers", 0, "error"), "parallel_tool_calls is false")
		require.False(t, *lastCallTo(t, s.fake.Requests(), mWorkerOAI).ParallelToolCalls)
	})
	t.Run("a forced function: a text worker is a failed candidate", func(t *testing.T) {
		s.fake.Reset()
		workers(call(`{"query":"Paris"}`), text)
		status, m := ask(t, `,"tool_choice":{"type":"function","function":{"name":"lookup"}}`)
		require.Equal(t, http.StatusOK, status, m)
		require.Equal(t, "lookup", path(m, "choices", 0, "message", "tool_calls", 0, "function", "name"))
		// Ollama has no tool_choice: the workflow enforces it on the answer.
		require.Contains(t, path(m, "workflow", "workers", 1, "error"), `tool_choice "lookup" asked for a tool call but the worker answered text`)
		require.JSONEq(t, `{"type":"function","function":{"name":"lookup"}}`, string(lastCallTo(t, s.fake.Requests(), mWorkerOAI).ToolChoice))
	})
	t.Run("tool_choice none reaches the workers and the answer is text", func(t *testing.T) {
		s.fake.Reset()
		workers(text, text)
		status, m := ask(t, `,"tool_choice":"none"`)
		require.Equal(t, http.StatusOK, status, m)
		require.Nil(t, path(m, "choices", 0, "message", "tool_calls"))
		require.Equal(t, "stop", path(m, "choices", 0, "finish_reason"))
		require.JSONEq(t, `"none"`, string(lastCallTo(t, s.fake.Requests(), mWorkerOAI).ToolChoice))
	})
	t.Run("malformed tool arguments drop the candidate with a reason", func(t *testing.T) {
		workers(call(`{"query": "Par`), call(`{"query":"Paris"}`))
		status, m := ask(t, "")
		require.Equal(t, http.StatusOK, status, m)
		require.JSONEq(t, `{"query":"Paris"}`, str(path(m, "choices", 0, "message", "tool_calls", 0, "function", "arguments")))
		require.Equal(t, "error", path(m, "workflow", "workers", 0, "status"))
		require.Contains(t, path(m, "workflow", "workers", 0, "error"), "malformed arguments for lookup")
	})
	t.Run("every worker answering text while required is a 502", func(t *testing.T) {
		workers(text, text)
		status, m := ask(t, `,"tool_choice":"required"`)
		require.Equal(t, http.StatusBadGateway, status, m)
		require.Contains(t, path(m, "error", "message"), "asked for a tool call but the worker answered text")
	})
	s.noPanics(t)
}

// plainText is a worker's answer without a tool call.
func plainText(r fakeupstream.Request) fakeupstream.Answer {
	return fakeupstream.TextAnswer(r, "plain words")
}

// sameIDCalls answers one lookup call per args, all with the same id (as
// some upstreams do).
func sameIDCalls(args ...string) func(r fakeupstream.Request) fakeupstream.Answer {
	return func(r fakeupstream.Request) fakeupstream.Answer {
		calls := make([]fakeupstream.Call, len(args))
		for i, a := range args {
			calls[i] = fakeupstream.Call{ID: "call_same", Name: "lookup", Args: a}
		}
		return fakeupstream.ToolAnswer(r, "", calls...)
	}
}

// toolStack is a stack whose two workers answer by script while tools are
// offered (the analyzer, selector and synthesizer answer as usual).
type toolStack struct {
	*stack
	script func(r fakeupstream.Request) (fakeupstream.Answer, bool)
}

func startToolStack(t *testing.T) *toolStack {
	t.Helper()
	ts := &toolStack{}
	ts.stack = startStack(t, stackOptions{fake: fakeupstream.Config{Script: func(r fakeupstream.Request) (fakeupstream.Answer, bool) {
		return ts.script(r)
	}}})
	ts.workers(plainText, plainText)
	return ts
}

// workers scripts the OpenAI and the Ollama worker's answers.
func (ts *toolStack) workers(oai, oll func(r fakeupstream.Request) fakeupstream.Answer) {
	ts.script = func(r fakeupstream.Request) (fakeupstream.Answer, bool) {
		switch {
		case len(r.Tools) == 0:
			return fakeupstream.Answer{}, false
		case r.Model == mWorkerOAI:
			return oai(r), true
		case r.Model == mWorkerOll:
			return oll(r), true
		}
		return fakeupstream.Answer{}, false
	}
}

// ask sends the workflow a chat request offering the lookup tool, with
// extra JSON members.
func (ts *toolStack) ask(t *testing.T, extra string) (int, map[string]any) {
	t.Helper()
	r := ts.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,"tools":`+toolsJSON+
		extra+`,"messages":[{"role":"user","content":"weather in Paris and Rome"}]}`, nil)
	return r.status, decodeMap(t, r.body)
}
