package fakeupstream

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// BenchContent is the text of every Preencoded answer. It is valid JSON
// that satisfies a workflow's analyzer (a temperature) and selector (a
// 1-based index) as well as serving as a worker's or synthesizer's text.
const BenchContent = `{"temperature": 0.7, "selected_index": 1, "reasoning": "bench"}`

// BenchAnswer is the answer of Preencoded mode.
var BenchAnswer = Answer{Text: BenchContent, Finish: "stop", PromptTok: 12, OutputTok: 16}

// MarkerPrefix starts the request marker a benchmark writes into the user
// message: MarkerPrefix followed by decimal digits.
const MarkerPrefix = "bench-id:"

// Span is one upstream call made for a marked request: from the moment its
// body was read to the moment its answer was completely written.
type Span struct {
	Start, End time.Time
	Stream     bool
}

// bench is the Preencoded mode: BenchAnswer rendered once (as a
// chat.completion, as SSE frames, as the model list), served from bytes;
// calls carrying a marker are timed, so a benchmark can separate a
// gateway's own time from the upstream's and measure its time to first
// token against the upstream's first token on the same clock.
type bench struct {
	cfg     *Config
	answer  []byte
	chunks  [][]byte
	final   []byte
	usage   []byte
	models  []byte
	bufPool sync.Pool

	ids atomic.Uint64

	mu    sync.Mutex
	first map[uint64]time.Time
	spans map[uint64][]Span
}

func newBench(cfg *Config) *bench {
	if cfg.Chunks <= 0 {
		cfg.Chunks = 16
	}
	if cfg.ChunkSpacing <= 0 {
		cfg.ChunkSpacing = time.Millisecond
	}
	b := &bench{cfg: cfg, first: map[uint64]time.Time{}, spans: map[uint64][]Span{}}
	b.bufPool.New = func() any { return new(bytes.Buffer) }
	h := openAIHead{id: "chatcmpl-bench", created: 1700000000, model: cfg.Model}
	b.answer, _ = json.Marshal(openAICompletion(h, BenchAnswer)) // the wire types always marshal
	for i, p := range Chunks(BenchAnswer.Text, cfg.Chunks) {
		d := openAIDelta(Answer{Text: p})
		if i == 0 {
			d.Role = "assistant"
		}
		b.chunks = append(b.chunks, frame(openAIChunk(h, d, nil)))
	}
	finish := BenchAnswer.finish()
	b.final = frame(openAIChunk(h, openaiwire.Delta{}, &finish))
	b.usage = frame(openAIUsageChunk(h, BenchAnswer))
	b.models, _ = json.Marshal(modelList(cfg.Model))
	return b
}

// frame is v as one SSE data event.
func frame(v any) []byte {
	j, _ := json.Marshal(v) // the wire types always marshal
	return append(append([]byte("data: "), j...), '\n', '\n')
}

// NextID returns a marker number never handed out before by this Server, so
// records of a request cut short in one run never mix with a later one.
func (s *Server) NextID() uint64 { return s.bench.ids.Add(1) }

// FirstChunk returns when the first content chunk of the streamed request
// marked "bench-id:<id>" was flushed, and whether there was one
// (Preencoded mode).
func (s *Server) FirstChunk(id uint64) (time.Time, bool) {
	b := s.bench
	b.mu.Lock()
	defer b.mu.Unlock()
	t, ok := b.first[id]
	return t, ok
}

// TakeSpans returns and forgets the calls recorded for the request marked
// "bench-id:<id>" (Preencoded mode; every call whose body carries the
// marker: a workflow's analyzer, worker, selector and synthesizer calls
// all embed the user's message).
func (s *Server) TakeSpans(id uint64) []Span {
	b := s.bench
	b.mu.Lock()
	defer b.mu.Unlock()
	sp := b.spans[id]
	delete(b.spans, id)
	return sp
}

func (b *bench) record(id uint64, sp Span) {
	b.mu.Lock()
	b.spans[id] = append(b.spans[id], sp)
	b.mu.Unlock()
}

// ServeHTTP implements http.Handler.
func (b *bench) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/chat/completions"):
		b.chat(w, r)
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/models"):
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b.models)
	default:
		http.NotFound(w, r)
	}
}

func (b *bench) chat(w http.ResponseWriter, r *http.Request) {
	buf := b.bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer b.bufPool.Put(buf)
	if _, err := buf.ReadFrom(r.Body); err != nil {
		writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", "read body")
		return
	}
	body := buf.Bytes()
	id, marked := marker(body)
	stream := flag(body, "stream")
	start := time.Now()
	// finish records the call just before its last bytes are written, so a
	// client that has read the whole answer always finds the span.
	finish := func() {
		if marked {
			b.record(id, Span{Start: start, End: time.Now(), Stream: stream})
		}
	}
	if stream {
		b.stream(w, r, flag(body, "include_usage"), id, marked, finish)
		return
	}
	if !Wait(r.Context(), b.cfg.Latency) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b.answer)))
	finish()
	_, _ = w.Write(b.answer)
}

func (b *bench) stream(w http.ResponseWriter, r *http.Request, usage bool, id uint64, marked bool, finish func()) {
	ctx := r.Context()
	if !Wait(ctx, b.cfg.Latency) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	for i, c := range b.chunks {
		if i > 0 && !Wait(ctx, b.cfg.ChunkSpacing) {
			return
		}
		sent := time.Now() // before the write: the relay time is not flattered
		if _, err := w.Write(c); err != nil {
			return
		}
		Flush(w)
		if i == 0 && marked {
			b.mu.Lock()
			b.first[id] = sent
			b.mu.Unlock()
		}
	}
	_, _ = w.Write(b.final)
	if usage {
		_, _ = w.Write(b.usage)
	}
	finish()
	_ = done(w)
}

// flag reports whether body sets the JSON key to true (`"key":true`, with
// optional spaces), without decoding the body.
func flag(body []byte, key string) bool {
	k := `"` + key + `"`
	for {
		i := bytes.Index(body, []byte(k))
		if i < 0 {
			return false
		}
		rest := bytes.TrimLeft(body[i+len(k):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			rest = bytes.TrimLeft(rest[1:], " \t\r\n")
			if bytes.HasPrefix(rest, []byte("true")) {
				return true
			}
		}
		body = body[i+len(k):]
	}
}

// marker returns the number after the first MarkerPrefix in body.
func marker(body []byte) (uint64, bool) {
	i := bytes.Index(body, []byte(MarkerPrefix))
	if i < 0 {
		return 0, false
	}
	rest := body[i+len(MarkerPrefix):]
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	id, err := strconv.ParseUint(string(rest[:n]), 10, 64)
	if err != nil {
		return 0, false
	}
	return id, true
}
