package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// genRoute is a POST route that produces an answer, with how to ask it and
// how to read its answer in each framing.
type genRoute struct {
	name   string
	path   string
	ollama bool
	body   func(model, prompt string, stream, includeWorkflow bool) map[string]any
	// text reads the answer of a non-stream body.
	text func(m map[string]any) string
	// chunkText reads the text of one stream chunk/event.
	chunkText func(ev sseEvent, m map[string]any) string
}

var genRoutes = []genRoute{
	{
		name: "ollama generate", path: "/api/generate", ollama: true,
		body: func(model, prompt string, stream, iw bool) map[string]any {
			return map[string]any{"model": model, "prompt": prompt, "system": "Be brief.", "stream": stream, "include_workflow": iw}
		},
		text:      func(m map[string]any) string { return str(m["response"]) },
		chunkText: func(_ sseEvent, m map[string]any) string { return str(m["response"]) },
	},
	{
		name: "ollama chat", path: "/api/chat", ollama: true,
		body: func(model, prompt string, stream, iw bool) map[string]any {
			return map[string]any{"model": model, "stream": stream, "include_workflow": iw, "messages": []map[string]any{
				{"role": "system", "content": "Be brief."},
				{"role": "user", "content": "earlier question"},
				{"role": "assistant", "content": "earlier answer"},
				{"role": "user", "content": prompt},
			}}
		},
		text:      func(m map[string]any) string { return str(path(m, "message", "content")) },
		chunkText: func(_ sseEvent, m map[string]any) string { return str(path(m, "message", "content")) },
	},
	{
		name: "openai completions", path: "/v1/completions",
		body: func(model, prompt string, stream, iw bool) map[string]any {
			return map[string]any{"model": model, "prompt": prompt, "stream": stream, "include_workflow": iw, "max_tokens": 77}
		},
		text:      func(m map[string]any) string { return str(path(m, "choices", 0, "text")) },
		chunkText: func(_ sseEvent, m map[string]any) string { return str(path(m, "choices", 0, "text")) },
	},
	{
		name: "openai chat completions", path: "/v1/chat/completions",
		body: func(model, prompt string, stream, iw bool) map[string]any {
			b := map[string]any{"model": model, "stream": stream, "include_workflow": iw, "max_tokens": 77,
				"messages": []map[string]any{{"role": "system", "content": "Be brief."}, {"role": "user", "content": prompt}}}
			if stream {
				b["stream_options"] = map[string]any{"include_usage": true}
			}
			return b
		},
		text:      func(m map[string]any) string { return str(path(m, "choices", 0, "message", "content")) },
		chunkText: func(_ sseEvent, m map[string]any) string { return str(path(m, "choices", 0, "delta", "content")) },
	},
	{
		name: "openai responses", path: "/v1/responses",
		body: func(model, prompt string, stream, iw bool) map[string]any {
			return map[string]any{"model": model, "instructions": "Be brief.", "stream": stream, "include_workflow": iw,
				"input": []map[string]any{{"role": "user", "content": []map[string]any{{"type": "input_text", "text": prompt}}}}}
		},
		text: func(m map[string]any) string { return str(path(m, "output", 0, "content", 0, "text")) },
		chunkText: func(ev sseEvent, m map[string]any) string {
			if str(m["type"]) == "response.output_text.delta" {
				return str(m["delta"])
			}
			return ""
		},
	},
}

// TestGenerationRoutes drives every answering route for the workflow and
// for passthrough, non-stream and stream, with and without include_workflow.
func TestGenerationRoutes(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 3}})
	targets := []genTarget{{"workflow", workflowName, true}, {"passthrough to openai", mWorkerOAI, false}, {"passthrough to ollama", mWorkerOll, false}}
	n := 0
	for _, rt := range genRoutes {
		for _, tg := range targets {
			for _, stream := range []bool{false, true} {
				for _, iw := range []bool{false, true} {
					n++
					c := genCase{rt: rt, tg: tg, stream: stream, includeWorkflow: iw,
						prompt: fmt.Sprintf("question %d about %s", n, rt.path)}
					t.Run(fmt.Sprintf("%s via %s stream=%v include_workflow=%v", tg.name, rt.name, stream, iw), func(t *testing.T) {
						checkGeneration(t, s, c)
					})
				}
			}
		}
	}
	s.noPanics(t)
}

// genTarget is the model a generation request names: the workflow or a
// passthrough model.
type genTarget struct {
	name, model string
	workflow    bool
}

// genCase is one request of TestGenerationRoutes.
type genCase struct {
	rt                      genRoute
	tg                      genTarget
	stream, includeWorkflow bool
	prompt                  string
}

// checkGeneration sends c and checks the answer, the upstream calls it made
// and the workflow trace.
func checkGeneration(t *testing.T, s *stack, c genCase) {
	s.fake.Reset()
	body, _ := json.Marshal(c.rt.body(c.tg.model, c.prompt, c.stream, c.includeWorkflow))
	r := s.call(t, http.MethodPost, c.rt.path, string(body), nil)
	require.Equal(t, http.StatusOK, r.status, truncate(r.body, 600))
	got, final := readAnswer(t, c.rt, c.stream, r)
	calls := s.fake.Requests()
	wantModel := c.tg.model
	if c.tg.workflow {
		wantModel = mSynth
		checkWorkflowCalls(t, calls, c.prompt, c.stream)
	}
	up := lastCallTo(t, calls, wantModel)
	require.Equal(t, fakeupstream.AnswerFor(up).Text, got, "the client gets the %s's answer", wantModel)
	require.Contains(t, joinMessages(up), c.prompt, "the prompt reached the upstream")
	if !c.tg.workflow {
		require.Len(t, calls, 1, "passthrough makes exactly one upstream call")
		checkPassthroughCall(t, c, up)
	}
	wf, hasWF := final["workflow"]
	switch {
	case c.tg.workflow && c.includeWorkflow:
		require.True(t, hasWF, "include_workflow adds the workflow trace")
		checkTrace(t, wf, calls)
	case !c.includeWorkflow:
		require.False(t, hasWF, "no workflow key without include_workflow")
	}
}

// checkPassthroughCall checks what passthrough forwarded to the upstream.
func checkPassthroughCall(t *testing.T, c genCase, up fakeupstream.Request) {
	t.Helper()
	require.Equal(t, c.stream, up.Stream, "passthrough streams upstream when the client streams")
	if c.rt.path != "/v1/completions" {
		require.Contains(t, joinMessages(up), "Be brief.", "the system prompt is forwarded")
	}
	if c.rt.path == "/v1/chat/completions" || c.rt.path == "/v1/completions" {
		require.NotNil(t, up.MaxTokens, "max_tokens is forwarded")
		require.Equal(t, 77, *up.MaxTokens)
	}
	if c.tg.model == mWorkerOAI {
		require.Equal(t, "Bearer "+fakeKey, up.Auth, "the ${ENV} api_key is expanded and sent")
	}
}

// readAnswer returns the answer text and the object that carries the final
// metadata (the body, or the final chunk/event of a stream).
func readAnswer(t *testing.T, rt genRoute, stream bool, r response) (string, map[string]any) {
	t.Helper()
	switch {
	case !stream:
		require.Contains(t, r.header.Get("Content-Type"), "application/json")
		m := decodeMap(t, r.body)
		require.NotEmpty(t, m["model"])
		return rt.text(m), m
	case rt.ollama:
		return readNDJSONAnswer(t, rt, r)
	}
	require.Contains(t, r.header.Get("Content-Type"), "text/event-stream")
	events, _ := parseSSE(t, r.body)
	require.NotEmpty(t, events)
	var text string
	var final map[string]any
	if rt.path == "/v1/responses" {
		require.NotEqual(t, "[DONE]", events[len(events)-1].data, "the Responses stream has no [DONE]")
		text, final = readResponsesEvents(t, rt, events)
	} else {
		require.Equal(t, "[DONE]", events[len(events)-1].data, "the stream ends with [DONE]")
		text, final = readChunkEvents(t, rt, events[:len(events)-1])
	}
	if final == nil {
		final = map[string]any{}
	}
	return text, final
}

// readNDJSONAnswer reads an Ollama stream: only its last line is done and
// carries the final metadata.
func readNDJSONAnswer(t *testing.T, rt genRoute, r response) (string, map[string]any) {
	t.Helper()
	require.Equal(t, "application/x-ndjson", r.header.Get("Content-Type"))
	lines := parseNDJSON(t, r.body)
	require.NotEmpty(t, lines)
	var text strings.Builder
	for i, l := range lines {
		require.NotContains(t, l, "error", "line %d", i)
		require.Equal(t, i == len(lines)-1, l["done"] == true, "only the last line is done")
		text.WriteString(rt.chunkText(sseEvent{}, l))
	}
	final := lines[len(lines)-1]
	require.Equal(t, "stop", final["done_reason"])
	for _, k := range []string{"total_duration", "prompt_eval_count", "eval_count", "created_at", "model"} {
		require.Contains(t, final, k)
	}
	return text.String(), final
}

// readResponsesEvents reads a Responses stream: typed events in sequence,
// the whole answer again in response.completed.
func readResponsesEvents(t *testing.T, rt genRoute, events []sseEvent) (string, map[string]any) {
	t.Helper()
	var text strings.Builder
	var final map[string]any
	var types []string
	lastSeq := -1.0
	for _, ev := range events {
		m := decodeMap(t, []byte(ev.data))
		require.NotContains(t, m, "error", "a successful stream never carries an error key (openai-go aborts on it)")
		text.WriteString(rt.chunkText(ev, m))
		typ := str(m["type"])
		require.Equal(t, ev.event, typ, "event: matches type")
		types = append(types, typ)
		seq, ok := m["sequence_number"].(float64)
		require.True(t, ok, "%s has a sequence_number", typ)
		require.Greater(t, seq, lastSeq)
		lastSeq = seq
		if typ == "response.output_text.delta" {
			require.Equal(t, []any{}, m["logprobs"], "deltas carry logprobs: []")
		}
		if typ == "response.completed" {
			final = m
			require.Equal(t, text.String(), str(path(messageItem(m), "content", 0, "text")),
				"response.completed carries the whole answer")
			if wf := path(m, "response", "workflow"); wf != nil {
				final = map[string]any{"workflow": wf}
			}
		}
	}
	require.Equal(t, []string{"response.created", "response.in_progress", "response.output_item.added"}, types[:3])
	require.Contains(t, types, "response.content_part.added") // after the workflow's progress reasoning item
	require.Equal(t, []string{"response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"}, types[len(types)-4:])
	return text.String(), final
}

// readChunkEvents reads the chunks of a chat or completions stream (its
// [DONE] already cut off): one id, a finish_reason, the trace if asked.
func readChunkEvents(t *testing.T, rt genRoute, events []sseEvent) (string, map[string]any) {
	t.Helper()
	var text strings.Builder
	var final map[string]any
	finish := ""
	ids := map[string]bool{}
	for _, ev := range events {
		m := decodeMap(t, []byte(ev.data))
		require.NotContains(t, m, "error", "a successful stream never carries an error key (openai-go aborts on it)")
		text.WriteString(rt.chunkText(ev, m))
		ids[str(m["id"])] = true
		if fr := str(path(m, "choices", 0, "finish_reason")); fr != "" {
			finish = fr
		}
		if _, ok := m["workflow"]; ok {
			final = m
		}
	}
	if rt.path == "/v1/chat/completions" {
		first := decodeMap(t, []byte(events[0].data))
		require.Equal(t, "assistant", path(first, "choices", 0, "delta", "role"), "role-first chunk")
		last := decodeMap(t, []byte(events[len(events)-1].data))
		require.Equal(t, []any{}, last["choices"], "include_usage: the last chunk has choices: []")
		require.NotNil(t, last["usage"])
	}
	require.Equal(t, "stop", finish, "a chunk carries finish_reason")
	require.Len(t, ids, 1, "every chunk has the same id")
	return text.String(), final
}

// checkWorkflowCalls checks the upstream calls one workflow made.
func checkWorkflowCalls(t *testing.T, calls []fakeupstream.Request, prompt string, stream bool) {
	t.Helper()
	byModel := map[string]int{}
	for _, c := range calls {
		byModel[c.Model]++
		require.Contains(t, joinMessages(c), prompt, "%s sees the user's prompt", c.Model)
	}
	require.Equal(t, map[string]int{mAnalyst: 1, mWorkerOAI: 1, mWorkerOll: 1, mJudge: 1, mSynth: 1}, byModel)
	require.Equal(t, fakeupstream.KindAnalyzer, lastCallTo(t, calls, mAnalyst).Kind)
	require.Equal(t, fakeupstream.KindSelector, lastCallTo(t, calls, mJudge).Kind)
	judge := lastCallTo(t, calls, mJudge)
	require.NotNil(t, judge.Temperature)
	require.InDelta(t, 0.2, *judge.Temperature, 1e-9, "the judge's configured temperature is sent")
	require.Equal(t, stream, lastCallTo(t, calls, mSynth).Stream, "only the synthesizer streams, and only when the client does")
	require.False(t, lastCallTo(t, calls, mWorkerOAI).Stream)
	syn := joinMessages(lastCallTo(t, calls, mSynth))
	for _, w := range []string{mWorkerOAI, mWorkerOll} {
		require.Contains(t, syn, fakeupstream.AnswerFor(lastCallTo(t, calls, w)).Text, "the synthesizer sees %s's answer", w)
	}
}

// checkTrace checks the include_workflow object against the calls made.
func checkTrace(t *testing.T, wf any, calls []fakeupstream.Request) {
	t.Helper()
	m, ok := wf.(map[string]any)
	require.True(t, ok, "workflow is an object")
	require.NotEmpty(t, m["workflow_id"])
	require.Equal(t, "ok", m["status"])
	workers, _ := m["workers"].([]any)
	require.Len(t, workers, 2)
	for _, w := range workers {
		model := str(path(w, "model"))
		require.Equal(t, "ok", path(w, "status"), "worker %s", model)
		up := lastCallTo(t, calls, model)
		require.NotNil(t, up.Temperature)
		require.InDelta(t, *up.Temperature, path(w, "temperature"), 1e-9, "the trace records the temperature %s was called with", model)
	}
	require.Equal(t, mAnalyst, path(m, "analyzer", "model"))
	require.InDelta(t, fakeupstream.AnalyzerTemperature, path(m, "analyzer", "suggested_temperature"), 1e-9)
	require.Equal(t, mJudge, path(m, "selector", "model"))
	require.EqualValues(t, fakeupstream.SelectedIndex, path(m, "selector", "selected_index"))
	require.Equal(t, mSynth, path(m, "synthesizer", "model"))
	require.Equal(t, "ok", path(m, "synthesizer", "status"))
}

func lastCallTo(t *testing.T, calls []fakeupstream.Request, model string) fakeupstream.Request {
	t.Helper()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Model == model {
			return calls[i]
		}
	}
	t.Fatalf("no upstream call to %s among %d calls", model, len(calls))
	return fakeupstream.Request{}
}

func joinMessages(r fakeupstream.Request) string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Content)
		b.WriteByte('\n')
	}
	return b.String()
}
