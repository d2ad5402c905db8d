package e2e

// Black-box tests for the "pitfalls users hit with other gateways" of
// protocols.md, one test per pitfall, named after its number.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// Scripted upstream models: an OpenAI-compatible server that answers with
// fixed wire bodies other gateways are known to choke on.
const (
	// mMerged streams `: ping` comments and puts finish_reason and usage in
	// one chunk (one-api/new-api style), without [DONE].
	mMerged = "merged"
	// mNullChoices sends its usage chunk with "choices": null (vLLM style).
	mNullChoices = "null-choices"
	// mTextTool answers with text and a tool call in one response.
	mTextTool = "text-tool"
)

// scriptedText is the answer of the mMerged and mNullChoices scripts.
const scriptedText = "Hello there"

// scriptedUsage is the usage the scripts report.
var scriptedUsage = map[string]any{"prompt_tokens": 5.0, "completion_tokens": 2.0, "total_tokens": 7.0}

func sseData(v string) string { return "data: " + v + "\n\n" }

func scriptChunk(delta, finish string) string {
	return fmt.Sprintf(`{"id":"chatcmpl-s","object":"chat.completion.chunk","created":1,"model":"s","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}`, delta, finish)
}

// scripts are the stream bodies per model.
var scripts = map[string]string{
	mMerged: ": ping\n\n" +
		sseData(scriptChunk(`{"role":"assistant","content":"Hello"}`, "null")) +
		": ping\n\n:\n\n" +
		sseData(`{"id":"chatcmpl-s","object":"chat.completion.chunk","created":1,"model":"s","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`),
	mNullChoices: sseData(scriptChunk(`{"role":"assistant","content":"Hello"}`, "null")) +
		sseData(scriptChunk(`{"content":" there"}`, "null")) +
		sseData(scriptChunk(`{}`, `"stop"`)) +
		sseData(`{"id":"chatcmpl-s","object":"chat.completion.chunk","created":1,"model":"s","choices":null,"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`) +
		sseData("[DONE]"),
	mTextTool: sseData(scriptChunk(`{"role":"assistant","content":"Let me "}`, "null")) +
		sseData(scriptChunk(`{"content":"look that up."}`, "null")) +
		sseData(scriptChunk(`{"tool_calls":[{"index":0,"id":"call_s1","type":"function","function":{"name":"lookup","arguments":""}}]}`, "null")) +
		sseData(scriptChunk(`{"tool_calls":[{"index":0,"function":{"arguments":"{\"query\":"}}]}`, "null")) +
		sseData(scriptChunk(`{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}`, "null")) +
		sseData(scriptChunk(`{}`, `"tool_calls"`)) +
		sseData(`{"id":"chatcmpl-s","object":"chat.completion.chunk","created":1,"model":"s","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`) +
		sseData("[DONE]"),
}

// textToolJSON is mTextTool's non-stream answer.
const textToolJSON = `{"id":"chatcmpl-s","object":"chat.completion","created":1,"model":"s","choices":[{"index":0,"message":{"role":"assistant","content":"Let me look that up.","tool_calls":[{"id":"call_s1","type":"function","function":{"name":"lookup","arguments":"{\"query\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`

// startScripted serves the scripts and returns the TOML declaring their models.
func startScripted(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Model  string `json:"model"`
			Stream bool   `json:"stream"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if !in.Stream {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, textToolJSON)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, scripts[in.Model])
	}))
	t.Cleanup(srv.Close)
	var b strings.Builder
	for _, m := range []string{mMerged, mNullChoices, mTextTool} {
		fmt.Fprintf(&b, "\n[[model]]\nname = %q\napi_base = %q\napi_key = \"${%s}\"\n", m, srv.URL+"/v1", fakeKeyEnv)
	}
	return b.String()
}

// chatChunks returns the data chunks of an OpenAI stream (without [DONE])
// and whether it ended with [DONE].
func chatChunks(t *testing.T, body []byte) (chunks []map[string]any, done bool) {
	t.Helper()
	events, _ := parseSSE(t, body)
	for _, ev := range events {
		if ev.data == "[DONE]" {
			done = true
			continue
		}
		chunks = append(chunks, decodeMap(t, []byte(ev.data)))
	}
	return chunks, done
}

// sumUsage adds up what the fake answered to every recorded call.
func sumUsage(calls []fakeupstream.Request) (in, out int) {
	for _, c := range calls {
		a := fakeupstream.AnswerFor(c)
		in, out = in+a.PromptTok, out+a.OutputTok
	}
	return in, out
}

// checkUsageChunks holds an include_usage stream to the spec: usage is null
// on every chunk but the last, which has choices: [] and the usage; no
// chunk carries both a finish_reason and a usage.
func checkUsageChunks(t *testing.T, chunks []map[string]any) map[string]any {
	t.Helper()
	require.NotEmpty(t, chunks)
	for i, ch := range chunks[:len(chunks)-1] {
		u, ok := ch["usage"]
		require.True(t, ok, "chunk %d has a usage key (include_usage)", i)
		require.Nil(t, u, "chunk %d: usage is null until the last chunk", i)
	}
	last := chunks[len(chunks)-1]
	require.Equal(t, []any{}, last["choices"], "the usage chunk has choices: [] (not null, not missing)")
	usage, ok := last["usage"].(map[string]any)
	require.True(t, ok, "the last chunk carries the usage: %v", last)
	for i, ch := range chunks {
		if str(path(ch, "choices", 0, "finish_reason")) != "" {
			require.Nil(t, ch["usage"], "chunk %d: finish_reason and usage never share a chunk", i)
		}
	}
	return usage
}

func TestPitfall01_StreamUsageIsTheWholeWorkflowsUsage(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 3}})
	t.Run("chat completions with include_usage ends with a choices: [] chunk summing every call", func(t *testing.T) {
		s.fake.Reset()
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","stream":true,
			"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"count all tokens"}]}`, nil)
		require.Equal(t, http.StatusOK, r.status)
		chunks, done := chatChunks(t, r.body)
		require.True(t, done)
		usage := checkUsageChunks(t, chunks)
		calls := s.fake.Requests()
		require.Len(t, calls, 5, "analyzer, two workers, selector, synthesizer")
		in, out := sumUsage(calls)
		require.EqualValues(t, in, usage["prompt_tokens"], "prompt tokens of every call, not only the synthesizer's")
		require.EqualValues(t, out, usage["completion_tokens"])
		require.EqualValues(t, in+out, usage["total_tokens"])
		require.True(t, lastCallTo(t, calls, mSynth).IncludeUsage, "the streamed synthesizer call asks its upstream for usage")
	})
	t.Run("without include_usage no chunk has a usage key", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","stream":true,
			"messages":[{"role":"user","content":"no usage please"}]}`, nil)
		chunks, _ := chatChunks(t, r.body)
		for i, ch := range chunks {
			require.NotContains(t, ch, "usage", "chunk %d", i)
			require.NotEmpty(t, ch["choices"], "chunk %d", i)
		}
	})
	t.Run("Responses and Ollama streams report the summed usage at the end", func(t *testing.T) {
		s.fake.Reset()
		r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"chorus","stream":true,"input":"sum it"}`, nil)
		events, _ := parseSSE(t, r.body)
		completed := decodeMap(t, []byte(events[len(events)-1].data))
		in, out := sumUsage(s.fake.Requests())
		require.EqualValues(t, in, path(completed, "response", "usage", "input_tokens"))
		require.EqualValues(t, out, path(completed, "response", "usage", "output_tokens"))

		s.fake.Reset()
		r = s.call(t, http.MethodPost, "/api/chat", `{"model":"chorus","messages":[{"role":"user","content":"sum it"}]}`, nil)
		lines := parseNDJSON(t, r.body)
		in, out = sumUsage(s.fake.Requests())
		require.EqualValues(t, in, lines[len(lines)-1]["prompt_eval_count"])
		require.EqualValues(t, out, lines[len(lines)-1]["eval_count"])
	})
}

func TestPitfall02_FinishReasonAndUsageAreSeparateChunksWhateverTheUpstreamSends(t *testing.T) {
	s := startStack(t, stackOptions{extraTOML: startScripted(t)})
	for _, model := range []string{mMerged, mNullChoices} {
		t.Run("an upstream like "+model+" is re-framed to the spec", func(t *testing.T) {
			r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"`+model+`","stream":true,
				"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			chunks, done := chatChunks(t, r.body)
			require.True(t, done, "the stream ends with [DONE] even when the upstream's did not")
			usage := checkUsageChunks(t, chunks)
			require.Equal(t, scriptedUsage, usage)
			var text strings.Builder
			finishes := 0
			for _, ch := range chunks {
				text.WriteString(str(path(ch, "choices", 0, "delta", "content")))
				if str(path(ch, "choices", 0, "finish_reason")) != "" {
					finishes++
				}
			}
			require.Equal(t, scriptedText, text.String())
			require.Equal(t, 1, finishes, "exactly one chunk carries finish_reason")
		})
	}
	s.noPanics(t)
}

// streamFormat is one streamed wire format and how to tell its clean end
// from an error.
type streamFormat struct {
	name, path, body string
	hdr              map[string]string
	// check fails unless body reports an error and no clean end.
	check func(t *testing.T, body []byte)
}

func sseErrorNoDone(t *testing.T, body []byte) {
	t.Helper()
	events, _ := parseSSE(t, body)
	require.NotEmpty(t, events)
	for _, ev := range events {
		require.NotEqual(t, "[DONE]", ev.data, "a dead upstream is never a clean [DONE]")
	}
	last := decodeMap(t, []byte(events[len(events)-1].data))
	require.NotEmpty(t, path(last, "error", "message"), "the stream ends with an error event: %v", last)
}

var streamFormats = []streamFormat{
	{name: "OpenAI chat SSE", path: "/v1/chat/completions",
		body: `{"model":%q,"stream":true,"messages":[{"role":"user","content":"one two three four five six"}]}`, check: sseErrorNoDone},
	{name: "OpenAI completions SSE", path: "/v1/completions",
		body: `{"model":%q,"stream":true,"prompt":"one two three four five six"}`, check: sseErrorNoDone},
	{name: "Ollama chat NDJSON", path: "/api/chat",
		body: `{"model":%q,"messages":[{"role":"user","content":"one two three four five six"}]}`,
		check: func(t *testing.T, body []byte) {
			lines := parseNDJSON(t, body)
			for i, l := range lines {
				require.NotEqual(t, true, l["done"], "line %d: a dead upstream is never done:true", i)
			}
			require.NotEmpty(t, str(lines[len(lines)-1]["error"]), "the stream ends with an error line")
		}},
	{name: "Ollama generate SSE", path: "/api/generate", hdr: map[string]string{"Accept": "text/event-stream"},
		body:  `{"model":%q,"prompt":"one two three four five six"}`,
		check: func(t *testing.T, body []byte) { ollamaSSEError(t, body) }},
	{name: "Responses SSE", path: "/v1/responses",
		body: `{"model":%q,"stream":true,"input":"one two three four five six"}`,
		check: func(t *testing.T, body []byte) {
			events, _ := parseSSE(t, body)
			var types []string
			for _, ev := range events {
				types = append(types, ev.event)
			}
			require.NotContains(t, types, "response.completed")
			require.Equal(t, []string{"error", "response.failed"}, types[len(types)-2:])
			failed := decodeMap(t, []byte(events[len(events)-1].data))
			require.Equal(t, "failed", path(failed, "response", "status"))
			require.NotEmpty(t, path(failed, "response", "error", "message"))
		}},
}

// ollamaSSEError: an Ollama route asked for SSE ends with an error event,
// no done:true and no [DONE].
func ollamaSSEError(t *testing.T, body []byte) {
	t.Helper()
	events, _ := parseSSE(t, body)
	for _, ev := range events {
		require.NotEqual(t, "[DONE]", ev.data)
		require.NotEqual(t, true, decodeMap(t, []byte(ev.data))["done"])
	}
	require.NotEmpty(t, str(decodeMap(t, []byte(events[len(events)-1].data))["error"]))
}

func TestPitfall03_DeadUpstreamStreamIsNotACleanEnd(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 4, Faults: func(r fakeupstream.Request) fakeupstream.Fault {
		if r.Stream { // the synthesizer of a workflow, or a streamed passthrough
			return fakeupstream.FaultCutStream
		}
		return fakeupstream.FaultNone
	}}})
	for _, model := range []string{workflowName, mWorkerOAI, mWorkerOll} {
		for _, f := range streamFormats {
			t.Run(f.name+" for "+model, func(t *testing.T) {
				r := s.call(t, http.MethodPost, f.path, fmt.Sprintf(f.body, model), f.hdr)
				require.Equal(t, http.StatusOK, r.status, "the stream had started: %s", r.body)
				f.check(t, r.body)
			})
		}
	}
	require.Positive(t, s.fake.Faulted())
	s.noPanics(t)
}

func TestPitfall04_UpstreamPingCommentsAreSkipped(t *testing.T) {
	s := startStack(t, stackOptions{extraTOML: startScripted(t)})
	for _, f := range []struct{ name, path, body string }{
		{"OpenAI chat", "/v1/chat/completions", `{"model":"merged","stream":true,"messages":[{"role":"user","content":"hi"}]}`},
		{"Ollama chat", "/api/chat", `{"model":"merged","messages":[{"role":"user","content":"hi"}]}`},
		{"Responses", "/v1/responses", `{"model":"merged","stream":true,"input":"hi"}`},
	} {
		t.Run(f.name+" relays the text around the upstream's `: ping` lines", func(t *testing.T) {
			r := s.call(t, http.MethodPost, f.path, f.body, nil)
			require.Equal(t, http.StatusOK, r.status)
			require.NotContains(t, string(r.body), "ping")
			require.NotContains(t, string(r.body), `"error":{`)
			require.NotContains(t, string(r.body), "response.failed")
			require.Contains(t, string(r.body), `"Hello"`)
			require.Contains(t, string(r.body), `" there"`)
		})
	}
	s.noPanics(t)
}

func TestPitfall06_ClientDisconnectCancelsPassthroughCalls(t *testing.T) {
	never := make(chan struct{})
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Hold: func(fakeupstream.Request) <-chan struct{} { return never }}})
	for _, f := range []struct{ name, path, body string }{
		{"non-stream chat", "/v1/chat/completions", `{"model":"w-openai","messages":[{"role":"user","content":"bye"}]}`},
		{"streamed chat", "/v1/chat/completions", `{"model":"w-openai","stream":true,"messages":[{"role":"user","content":"bye"}]}`},
		{"non-stream Ollama chat", "/api/chat", `{"model":"w-ollama","stream":false,"messages":[{"role":"user","content":"bye"}]}`},
		{"streamed Responses", "/v1/responses", `{"model":"w-ollama","stream":true,"input":"bye"}`},
	} {
		t.Run(f.name+" cancels its upstream call", func(t *testing.T) {
			s.fake.Reset()
			ctx, cancel := context.WithCancel(t.Context())
			errc := make(chan error, 1)
			go func() {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+f.path, strings.NewReader(f.body))
				resp, err := s.client.Do(req)
				if err == nil {
					_, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				errc <- err
			}()
			waitFor(t, s.fake, "the upstream call in flight", func(f *fakeupstream.Server) bool { return f.InFlight() == 1 })
			cancel()
			require.Error(t, <-errc)
			waitFor(t, s.fake, "the upstream call canceled", func(f *fakeupstream.Server) bool {
				return f.Canceled() == 1 && f.InFlight() == 0
			})
		})
	}
}

// openStream sends a streamed request and returns a line reader on it.
func (s *stack) openStream(t *testing.T, ctx context.Context, route, body string) *bufio.Reader {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+route, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return bufio.NewReader(resp.Body)
}

func TestPitfall07_KeepAlivesFlowBeforeTheFirstToken(t *testing.T) {
	for _, f := range []struct {
		name, path, body string
		// isKeepAlive and isContent classify one line.
		isKeepAlive, isContent func(line string) bool
	}{
		{"OpenAI chat sends `: keep-alive` comments", "/v1/chat/completions",
			`{"model":"chorus","stream":true,"messages":[{"role":"user","content":"slow"}]}`,
			func(l string) bool { return strings.HasPrefix(l, ":") },
			func(l string) bool { return strings.Contains(l, `"content":"`) && !strings.Contains(l, `"content":""`) }},
		{"Ollama chat sends empty NDJSON chunks", "/api/chat",
			`{"model":"chorus","messages":[{"role":"user","content":"slow"}]}`,
			func(l string) bool { return strings.Contains(l, `"content":""`) && strings.Contains(l, `"done":false`) },
			func(l string) bool { return strings.Contains(l, `"content":"`) && !strings.Contains(l, `"content":""`) }},
		{"Responses sends `: keep-alive` comments after opening the response", "/v1/responses",
			`{"model":"chorus","stream":true,"input":"slow"}`,
			func(l string) bool { return strings.HasPrefix(l, ":") },
			func(l string) bool { return strings.Contains(l, "response.output_text.delta") }},
	} {
		t.Run(f.name+" while the workers run", func(t *testing.T) {
			gate := make(chan struct{})
			s := startStack(t, stackOptions{
				fake: fakeupstream.Config{Hold: func(r fakeupstream.Request) <-chan struct{} {
					if r.Model == mWorkerOAI || r.Model == mWorkerOll {
						return gate
					}
					return nil
				}},
				tune: func(st *config.Settings) { st.Server.KeepAliveInterval = 20 * time.Millisecond },
			})
			rd := s.openStream(t, t.Context(), f.path, f.body)
			keepAlives, content := 0, false
			for {
				line, err := rd.ReadString('\n')
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				line = strings.TrimSpace(line)
				switch {
				case f.isContent(line):
					require.Positive(t, keepAlives, "a keep-alive arrived before the first token")
					content = true
				case f.isKeepAlive(line):
					require.False(t, content, "no keep-alive once content flows")
					keepAlives++
					if keepAlives == 2 {
						close(gate) // the client saw the stream stay alive: let the workers answer
					}
				}
			}
			require.True(t, content, "the answer followed the keep-alives")
			s.noPanics(t)
		})
	}
}

// checkResponsesLifecycle holds a Responses event stream to what strict
// clients (Codex CLI, Vercel AI SDK, openai-python) need: every item is
// added before anything refers to it and done before response.completed,
// deltas carry item_id, output_index, content_index and logprobs, and
// response.completed has the created response's id and every item.
func checkResponsesLifecycle(t *testing.T, body []byte) map[string]any {
	t.Helper()
	events, _ := parseSSE(t, body)
	require.GreaterOrEqual(t, len(events), 3)
	created := decodeMap(t, []byte(events[0].data))
	require.Equal(t, "response.created", created["type"])
	respID := str(path(created, "response", "id"))
	require.NotEmpty(t, respID)
	items := itemLifecycle{opened: map[float64]string{}, closed: map[float64]bool{}, parts: map[string]bool{}}
	var completed map[string]any
	for i, ev := range events {
		m := decodeMap(t, []byte(ev.data))
		typ := str(m["type"])
		require.Equal(t, ev.event, typ)
		require.Nil(t, completed, "nothing follows response.completed")
		switch typ {
		case "response.created", "response.in_progress":
			require.Equal(t, respID, path(m, "response", "id"))
		case "response.completed":
			completed = m
		default:
			items.event(t, i, typ, m)
		}
	}
	require.NotNil(t, completed, "the stream ends with response.completed")
	require.Equal(t, respID, path(completed, "response", "id"))
	require.Equal(t, "completed", path(completed, "response", "status"))
	out, _ := path(completed, "response", "output").([]any)
	require.NotEmpty(t, out, "response.completed carries the output")
	require.Len(t, out, len(items.opened))
	for i, item := range out {
		require.True(t, items.closed[float64(i)], "item %d was done before completed", i)
		require.Equal(t, items.opened[float64(i)], str(path(item, "id")), "output[%d] is the item streamed at index %d", i, i)
	}
	return completed
}

// itemLifecycle follows the output items of a Responses stream: each is
// added once, its events come between added and done, text inside a
// content part.
type itemLifecycle struct {
	opened map[float64]string // output_index → item id
	closed map[float64]bool
	parts  map[string]bool // item id → content part opened
}

// event checks event i of type typ against the items seen so far.
func (l *itemLifecycle) event(t *testing.T, i int, typ string, m map[string]any) {
	t.Helper()
	idx, hasIdx := m["output_index"].(float64)
	switch typ {
	case "response.output_item.added":
		require.True(t, hasIdx, "event %d", i)
		require.NotContains(t, l.opened, idx, "item %v added twice", idx)
		id := str(path(m, "item", "id"))
		require.NotEmpty(t, id)
		l.opened[idx] = id
	case "response.output_item.done":
		require.True(t, hasIdx)
		require.Equal(t, l.opened[idx], str(path(m, "item", "id")), "event %d: done for an item that was added", i)
		require.False(t, l.closed[idx])
		l.closed[idx] = true
	case "response.content_part.added", "response.content_part.done", "response.output_text.delta", "response.output_text.done",
		"response.function_call_arguments.delta", "response.function_call_arguments.done":
		require.True(t, hasIdx, "event %d %s has output_index", i, typ)
		require.NotEmpty(t, l.opened[idx], "event %d %s refers to an item that was added", i, typ)
		require.Equal(t, l.opened[idx], str(m["item_id"]), "event %d %s item_id", i, typ)
		require.False(t, l.closed[idx], "event %d %s after the item was done", i, typ)
		l.partEvent(t, i, typ, m)
	}
}

// partEvent checks content-part and text events: text comes inside an
// opened content part and carries logprobs.
func (l *itemLifecycle) partEvent(t *testing.T, i int, typ string, m map[string]any) {
	t.Helper()
	if strings.Contains(typ, "content_part") || strings.Contains(typ, "output_text") {
		require.Contains(t, m, "content_index", "event %d %s", i, typ)
	}
	if typ == "response.content_part.added" {
		l.parts[str(m["item_id"])] = true
	}
	if strings.HasPrefix(typ, "response.output_text.") {
		require.True(t, l.parts[str(m["item_id"])], "event %d: text before its content part", i)
		require.Equal(t, []any{}, m["logprobs"], "event %d: logprobs is a list", i)
	}
}

func TestPitfall09_ResponsesStreamItemLifecycle(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 3}, extraTOML: startScripted(t)})
	tools := `[{"type":"function","name":"lookup","parameters":{"type":"object","properties":{"query":{"type":"string"}}}}]`
	for _, tt := range []struct {
		name, body string
		items      []string
	}{
		{"a workflow answer", `{"model":"chorus","stream":true,"input":"explain"}`, []string{"reasoning", "message"}},
		{"a workflow answer without progress", `{"model":"chorus","stream":true,"input":"explain"}`, []string{"message"}},
		{"a passthrough answer", `{"model":"w-ollama","stream":true,"input":"explain"}`, []string{"message"}},
		{"a passthrough tool call", `{"model":"w-openai","stream":true,"tools":` + tools + `,"input":"` + fakeupstream.ToolTrigger + ` Paris"}`,
			[]string{"message", "function_call"}},
		{"text and a tool call in one answer", `{"model":"text-tool","stream":true,"tools":` + tools + `,"input":"Paris"}`,
			[]string{"message", "function_call"}},
	} {
		t.Run(tt.name+" opens every item before using it and completes with all of them", func(t *testing.T) {
			var hdr map[string]string
			if strings.HasSuffix(tt.name, "without progress") {
				hdr = map[string]string{"X-Chorus-Progress": "off"}
			}
			r := s.call(t, http.MethodPost, "/v1/responses", tt.body, hdr)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			completed := checkResponsesLifecycle(t, r.body)
			var types []string
			for _, item := range path(completed, "response", "output").([]any) {
				types = append(types, str(path(item, "type")))
			}
			require.Equal(t, tt.items, types)
		})
	}
}

func TestPitfall10_TextAndToolCallInOneAnswerSurviveEveryRoute(t *testing.T) {
	s := startStack(t, stackOptions{extraTOML: startScripted(t)})
	tools := `[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]`
	wantText, wantArgs := "Let me look that up.", `{"query":"Paris"}`
	t.Run("chat non-stream keeps content and tool_calls with finish_reason tool_calls", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"text-tool","tools":`+tools+`,"messages":[{"role":"user","content":"Paris"}]}`, nil)
		m := decodeMap(t, r.body)
		require.Equal(t, wantText, path(m, "choices", 0, "message", "content"))
		require.Equal(t, "lookup", path(m, "choices", 0, "message", "tool_calls", 0, "function", "name"))
		require.JSONEq(t, wantArgs, str(path(m, "choices", 0, "message", "tool_calls", 0, "function", "arguments")))
		require.Equal(t, "tool_calls", path(m, "choices", 0, "finish_reason"))
		require.EqualValues(t, 5, path(m, "usage", "prompt_tokens"))
	})
	t.Run("chat stream keeps content and tool_calls with finish_reason tool_calls", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"text-tool","stream":true,"tools":`+tools+`,"messages":[{"role":"user","content":"Paris"}]}`, nil)
		chunks, done := chatChunks(t, r.body)
		require.True(t, done)
		var text, args strings.Builder
		finish := ""
		for _, ch := range chunks {
			text.WriteString(str(path(ch, "choices", 0, "delta", "content")))
			for _, tc := range asList(path(ch, "choices", 0, "delta", "tool_calls")) {
				args.WriteString(str(path(tc, "function", "arguments")))
			}
			if f := str(path(ch, "choices", 0, "finish_reason")); f != "" {
				finish = f
			}
		}
		require.Equal(t, wantText, text.String())
		require.JSONEq(t, wantArgs, args.String())
		require.Equal(t, "tool_calls", finish)
	})
	t.Run("Responses non-stream has a message and a function_call item and token usage", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"text-tool","tools":`+tools+`,"input":"Paris"}`, nil)
		m := decodeMap(t, r.body)
		require.Equal(t, "message", path(m, "output", 0, "type"))
		require.Equal(t, wantText, path(m, "output", 0, "content", 0, "text"))
		require.Equal(t, "function_call", path(m, "output", 1, "type"))
		require.Equal(t, "call_s1", path(m, "output", 1, "call_id"))
		require.JSONEq(t, wantArgs, str(path(m, "output", 1, "arguments")))
		require.EqualValues(t, 5, path(m, "usage", "input_tokens"))
		require.EqualValues(t, 2, path(m, "usage", "output_tokens"))
	})
	t.Run("Ollama chat stream keeps the text and sends the tool call before done", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/api/chat", `{"model":"text-tool","tools":`+tools+`,"messages":[{"role":"user","content":"Paris"}]}`, nil)
		lines := parseNDJSON(t, r.body)
		var text strings.Builder
		calls := 0
		for i, l := range lines {
			text.WriteString(str(path(l, "message", "content")))
			if tc := asList(path(l, "message", "tool_calls")); len(tc) > 0 {
				require.NotEqual(t, true, l["done"], "tool calls come before the final object")
				require.Equal(t, "Paris", path(tc[0], "function", "arguments", "query"))
				calls++
			}
			require.Equal(t, i == len(lines)-1, l["done"] == true)
		}
		require.Equal(t, wantText, text.String())
		require.Equal(t, 1, calls)
	})
	t.Run("a forced Responses tool_choice reaches a chat upstream in the chat shape", func(t *testing.T) {
		s.fake.Reset()
		r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"w-openai","tools":`+tools+
			`,"tool_choice":{"type":"function","name":"lookup"},"input":"`+fakeupstream.ToolTrigger+` Paris"}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		up := lastCallTo(t, s.fake.Requests(), mWorkerOAI)
		require.JSONEq(t, `{"type":"function","function":{"name":"lookup"}}`, string(up.ToolChoice))
	})
	s.noPanics(t)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func TestPitfall11_StreamingWithToolsOnEveryRoute(t *testing.T) {
	s := startStack(t, stackOptions{})
	prompt := fakeupstream.ToolTrigger + " weather"
	for _, model := range []string{mWorkerOAI, mWorkerOll} {
		t.Run("Ollama chat stream to "+model+" carries the tool call with object arguments", func(t *testing.T) {
			r := s.call(t, http.MethodPost, "/api/chat", `{"model":"`+model+`","tools":`+toolsJSON+
				`,"messages":[{"role":"user","content":"`+prompt+`"}]}`, nil)
			lines := parseNDJSON(t, r.body)
			found := false
			for _, l := range lines {
				if tc := asList(path(l, "message", "tool_calls")); len(tc) > 0 {
					require.Equal(t, "lookup", path(tc[0], "function", "name"))
					require.Equal(t, "weather", path(tc[0], "function", "arguments", "query"))
					found = true
				}
			}
			require.True(t, found, "a streamed chunk carries tool_calls: %s", r.body)
			require.Equal(t, true, lines[len(lines)-1]["done"])
		})
		t.Run("OpenAI chat stream to "+model+" carries the tool call and finish_reason tool_calls", func(t *testing.T) {
			r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"`+model+`","stream":true,"tools":`+toolsJSON+
				`,"messages":[{"role":"user","content":"`+prompt+`"}]}`, nil)
			chunks, done := chatChunks(t, r.body)
			require.True(t, done)
			var name, args strings.Builder
			finish := ""
			for _, ch := range chunks {
				for _, tc := range asList(path(ch, "choices", 0, "delta", "tool_calls")) {
					name.WriteString(str(path(tc, "function", "name")))
					args.WriteString(str(path(tc, "function", "arguments")))
				}
				if f := str(path(ch, "choices", 0, "finish_reason")); f != "" {
					finish = f
				}
			}
			require.Equal(t, "lookup", name.String())
			require.JSONEq(t, `{"query":"weather"}`, args.String())
			require.Equal(t, "tool_calls", finish)
		})
	}
	s.noPanics(t)
}

func TestPitfall19_EveryWorkflowCallSeesTheEarlierTurns(t *testing.T) {
	s := startStack(t, stackOptions{})
	body := `{"model":"chorus","messages":[
		{"role":"system","content":"Answer tersely."},
		{"role":"user","content":"My name is Zorblax."},
		{"role":"assistant","content":"Nice to meet you, Zorblax-ack."},
		{"role":"user","content":"What is my name?"}]}`
	r := s.call(t, http.MethodPost, "/v1/chat/completions", body, nil)
	require.Equal(t, http.StatusOK, r.status)
	calls := s.fake.Requests()
	require.Len(t, calls, 5)
	for _, c := range calls {
		all := joinMessages(c)
		for _, want := range []string{"Answer tersely.", "My name is Zorblax.", "Zorblax-ack", "What is my name?"} {
			require.Contains(t, all, want, "the %s call (%s) sees every turn", c.Model, c.Kind)
		}
	}
	for _, w := range []string{mWorkerOAI, mWorkerOll} {
		var roles []string
		for _, m := range lastCallTo(t, calls, w).Messages {
			roles = append(roles, m.Role)
		}
		require.Equal(t, []string{"system", "user", "assistant", "user"}, roles, "%s gets the conversation as messages", w)
	}
}

func TestPitfall20_TheSynthesizersTokensStreamWhileItWrites(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 40, ChunkSpacing: 50 * time.Millisecond}})
	for _, f := range []struct{ name, path, body, marker string }{
		{"OpenAI chat", "/v1/chat/completions", `{"model":"chorus","stream":true,"messages":[{"role":"user","content":"write"}]}`, `"content":"`},
		{"Responses", "/v1/responses", `{"model":"chorus","stream":true,"input":"write"}`, "response.output_text.delta"},
		{"Ollama generate", "/api/generate", `{"model":"chorus","prompt":"write"}`, `"response":"`},
	} {
		t.Run(f.name+" relays the first token before the synthesizer is done", func(t *testing.T) {
			s.fake.Reset()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rd := s.openStream(t, ctx, f.path, f.body)
			for {
				line, err := rd.ReadString('\n')
				require.NoError(t, err, "the stream ended before a token")
				if strings.Contains(line, f.marker) && !strings.Contains(line, f.marker+`"`) {
					break
				}
			}
			syn := lastCallTo(t, s.fake.Requests(), mSynth)
			require.True(t, syn.Stream, "the synthesizer is called with stream: true")
			require.EqualValues(t, 1, s.fake.InFlight(), "the synthesizer is still writing (40 chunks, 50 ms apart)")
			cancel()
			waitFor(t, s.fake, "the synthesizer canceled", func(f *fakeupstream.Server) bool { return f.InFlight() == 0 })
		})
	}
}

func TestPitfall21_TheTraceShowsEachCallsModelAndUsage(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 2}})
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v: every stage names its model and usage, and they add up", stream), func(t *testing.T) {
			s.fake.Reset()
			r := s.call(t, http.MethodPost, "/v1/chat/completions", fmt.Sprintf(`{"model":"chorus","stream":%v,"include_workflow":true,
				"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"what did this cost?"}]}`, stream), nil)
			require.Equal(t, http.StatusOK, r.status)
			var wf, usage any
			if stream {
				chunks, _ := chatChunks(t, r.body)
				for _, ch := range chunks {
					if w, ok := ch["workflow"]; ok {
						wf = w
					}
				}
				usage = chunks[len(chunks)-1]["usage"]
			} else {
				m := decodeMap(t, r.body)
				wf, usage = m["workflow"], m["usage"]
			}
			require.NotNil(t, wf)
			calls := s.fake.Requests()
			stages := []any{path(wf, "analyzer"), path(wf, "selector"), path(wf, "synthesizer")}
			stages = append(stages, asList(path(wf, "workers"))...)
			require.Len(t, stages, 5)
			sumIn, sumOut := 0, 0
			for _, st := range stages {
				model := str(path(st, "model"))
				a := fakeupstream.AnswerFor(lastCallTo(t, calls, model))
				require.EqualValues(t, a.PromptTok, path(st, "usage", "input_tokens"), "%s input tokens", model)
				require.EqualValues(t, a.OutputTok, path(st, "usage", "output_tokens"), "%s output tokens", model)
				sumIn, sumOut = sumIn+a.PromptTok, sumOut+a.OutputTok
			}
			require.EqualValues(t, sumIn, path(wf, "usage", "input_tokens"))
			require.EqualValues(t, sumOut, path(wf, "usage", "output_tokens"))
			require.EqualValues(t, sumIn, path(usage, "prompt_tokens"), "the response usage is the trace's sum")
			require.EqualValues(t, sumOut, path(usage, "completion_tokens"))
		})
	}
}

func TestPitfall13_CopilotsOllamaProbeSequenceListsEveryModelWithTools(t *testing.T) {
	s := startStack(t, stackOptions{})
	r := s.call(t, http.MethodGet, "/api/version", "", nil)
	require.Equal(t, http.StatusOK, r.status)
	r = s.call(t, http.MethodGet, "/api/tags", "", nil)
	models := asList(decodeMap(t, r.body)["models"])
	require.Len(t, models, len(allModels))
	for _, m := range models {
		name := str(path(m, "name"))
		show := s.call(t, http.MethodPost, "/api/show", `{"model":"`+name+`"}`, nil)
		require.Equal(t, http.StatusOK, show.status, name)
		info := decodeMap(t, show.body)
		require.Subset(t, info["capabilities"], []any{"completion", "tools"}, "%s is listed by Copilot only with tools", name)
	}
	r = s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","messages":[{"role":"user","content":"same port"}]}`, nil)
	require.Equal(t, http.StatusOK, r.status, "Copilot Chat posts OpenAI chat on the Ollama port")
}

func TestPitfall16_ASlowWorkerCostsItsOwnDeadlineNotRetries(t *testing.T) {
	s := startStack(t, stackOptions{
		fake: fakeupstream.Config{SlowDelay: time.Minute, Faults: fakeupstream.ForModel(mWorkerOll, fakeupstream.FaultSlow)},
		tune: func(st *config.Settings) {
			for i := range st.Models {
				if st.Models[i].Name == mWorkerOll {
					st.Models[i].Timeouts.Worker = 200 * time.Millisecond
					st.Workflow.Models[mWorkerOll] = st.Models[i]
				}
			}
		},
	})
	r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,
		"messages":[{"role":"user","content":"hurry"}]}`, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	m := decodeMap(t, r.body)
	for _, w := range asList(path(m, "workflow", "workers")) {
		if str(path(w, "model")) == mWorkerOll {
			require.Equal(t, "timeout", path(w, "status"))
			require.EqualValues(t, 1, path(w, "attempts"), "a timed-out call is not retried")
		}
	}
	slow := 0
	for _, c := range s.fake.Requests() {
		if c.Model == mWorkerOll {
			slow++
		}
	}
	require.Equal(t, 1, slow, "one call to the slow worker, no retry")
	waitFor(t, s.fake, "the slow call abandoned", func(f *fakeupstream.Server) bool { return f.Canceled() == 1 })
	require.Equal(t, fakeupstream.AnswerFor(lastCallTo(t, s.fake.Requests(), mSynth)).Text, path(m, "choices", 0, "message", "content"))
}
