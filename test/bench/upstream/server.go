package upstream

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Content is the answer of every non-streamed completion. It is valid JSON
// that satisfies a workflow's analyzer (a temperature) and selector (a
// 1-based index) as well as serving as a worker's or synthesizer's text.
const Content = `{"temperature": 0.7, "selected_index": 1, "reasoning": "bench"}`

// Options configure a Server. Zero values take the defaults noted.
type Options struct {
	// Latency is the delay before the answer (non-stream) or before the
	// first chunk (stream).
	Latency time.Duration
	// Chunks is the number of content chunks of a stream (default 16).
	Chunks int
	// ChunkInterval is the delay between two stream chunks (default 1 ms).
	ChunkInterval time.Duration
	// Model is the model name written in answers (default "bench").
	Model string
}

// Server is an http.Handler answering POST .../chat/completions.
type Server struct {
	opts    Options
	answer  []byte
	chunks  [][]byte
	final   []byte
	usage   []byte
	bufPool sync.Pool

	ids atomic.Uint64

	mu    sync.Mutex
	first map[uint64]time.Time
	spans map[uint64][]Span
}

// NextID returns a marker number never handed out before by this Server, so
// records of a request cut short in one run never mix with a later one.
func (s *Server) NextID() uint64 { return s.ids.Add(1) }

// Span is one upstream call made for a marked request: from the moment its
// body was read to the moment its answer was completely written.
type Span struct {
	Start, End time.Time
	Stream     bool
}

// New returns a Server with opts (defaults filled in).
func New(opts Options) *Server {
	if opts.Chunks <= 0 {
		opts.Chunks = 16
	}
	if opts.ChunkInterval <= 0 {
		opts.ChunkInterval = time.Millisecond
	}
	if opts.Model == "" {
		opts.Model = "bench"
	}
	s := &Server{opts: opts, first: map[uint64]time.Time{}, spans: map[uint64][]Span{}}
	s.bufPool.New = func() any { return new(bytes.Buffer) }
	s.encode()
	return s
}

// encode prepares every response body once.
func (s *Server) encode() {
	model := strconv.Quote(s.opts.Model)
	s.answer = []byte(`{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":` + model +
		`,"choices":[{"index":0,"message":{"role":"assistant","content":` + strconv.Quote(Content) +
		`},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":16,"total_tokens":28}}`)
	head := `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":` + model + `,"choices":[`
	s.chunks = make([][]byte, s.opts.Chunks)
	for i := range s.chunks {
		role := ""
		if i == 0 {
			role = `"role":"assistant",`
		}
		s.chunks[i] = []byte(head + `{"index":0,"delta":{` + role + `"content":"tok` + strconv.Itoa(i) +
			` "},"finish_reason":null}]}` + "\n\n")
	}
	s.final = []byte(head + `{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n")
	s.usage = []byte(head[:len(head)-len(`"choices":[`)] +
		`"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":16,"total_tokens":28}}` + "\n\n")
}

// FirstChunk returns when the first content chunk of the streamed request
// marked "bench-id:<id>" was flushed, and whether there was one.
func (s *Server) FirstChunk(id uint64) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.first[id]
	return t, ok
}

// TakeSpans returns and forgets the calls recorded for the request marked
// "bench-id:<id>" (every call whose body carries the marker: a workflow's
// analyzer, worker, selector and synthesizer calls all embed the user's
// message).
func (s *Server) TakeSpans(id uint64) []Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.spans[id]
	delete(s.spans, id)
	return sp
}

func (s *Server) record(id uint64, sp Span) {
	s.mu.Lock()
	s.spans[id] = append(s.spans[id], sp)
	s.mu.Unlock()
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/chat/completions"):
		s.chat(w, r)
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/models"):
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","data":[{"id":`+strconv.Quote(s.opts.Model)+`,"object":"model","owned_by":"bench"}]}`)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	buf := s.bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.bufPool.Put(buf)
	if _, err := buf.ReadFrom(r.Body); err != nil {
		http.Error(w, `{"error":{"message":"read body"}}`, http.StatusBadRequest)
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
			s.record(id, Span{Start: start, End: time.Now(), Stream: stream})
		}
	}
	if stream {
		s.stream(w, r, flag(body, "include_usage"), id, marked, finish)
		return
	}
	if !sleep(r, s.opts.Latency) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(s.answer)))
	finish()
	_, _ = w.Write(s.answer)
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request, usage bool, id uint64, marked bool, finish func()) {
	flusher, _ := w.(http.Flusher)
	if !sleep(r, s.opts.Latency) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	for i, c := range s.chunks {
		if i > 0 && !sleep(r, s.opts.ChunkInterval) {
			return
		}
		sent := time.Now() // before the write: the relay time is not flattered
		if _, err := w.Write(c); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		if i == 0 && marked {
			s.mu.Lock()
			s.first[id] = sent
			s.mu.Unlock()
		}
	}
	_, _ = w.Write(s.final)
	if usage {
		_, _ = w.Write(s.usage)
	}
	finish()
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

// sleep waits d unless the client goes away first; it reports whether the
// wait completed.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
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

// MarkerPrefix starts the request marker a benchmark writes into the user
// message: MarkerPrefix followed by decimal digits.
const MarkerPrefix = "bench-id:"

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
