package fakeupstream

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// Config tunes a Server. The zero value answers at once, streams one chunk
// per word and injects no faults.
type Config struct {
	// Latency is waited before the first byte of every answer.
	Latency time.Duration
	// Chunks is the number of content chunks a stream is split into
	// (0: one per word).
	Chunks int
	// ChunkSpacing is waited between streamed chunks.
	ChunkSpacing time.Duration
	// SlowDelay is how long FaultSlow waits before answering (default 10 s);
	// the wait ends early when the client cancels.
	SlowDelay time.Duration
	// Faults picks a fault per request; nil injects none.
	Faults FaultFunc
	// Hold, when set, may return a channel the request waits on (before
	// Latency) until it is closed or the client cancels; nil answers at once.
	Hold func(r Request) <-chan struct{}
	// Script, when set, may replace the answer to a request (ok true):
	// tests script workers that call tools, answer text or send malformed
	// arguments. Faults are injected before it is asked.
	Script func(r Request) (a Answer, ok bool)
	// RetryAfterSecs is the Retry-After of Fault429 answers.
	RetryAfterSecs int
	// Record keeps every Request for Requests(); off, only counters are kept
	// (for long benchmark runs).
	Record bool
	// Handler, when set, answers every request instead of the fake's
	// answers (tests that script an upstream's exact bytes, with a Dialect);
	// the request is still recorded (Method, Path, Header, Body) and counted.
	Handler http.HandlerFunc
	// Preencoded answers every chat request with BenchAnswer, rendered once
	// at start by the same functions as any answer: a request body is only
	// scanned (stream, include_usage, a MarkerPrefix marker), never decoded,
	// so the fake costs little CPU next to a load generator. Latency, Chunks
	// (default 16), ChunkSpacing (default 1 ms) and Model apply; faults,
	// Hold, Script and Record do not.
	Preencoded bool
	// Model is the model name of Preencoded answers and of GET …/models
	// (default "bench").
	Model string
}

// Server is a fake upstream serving, on one loopback address:
//
//	POST /v1/chat/completions, POST /chat/completions (OpenAI, any prefix)
//	POST /api/chat (Ollama)
type Server struct {
	cfg   Config
	srv   *httptest.Server
	mu    sync.Mutex
	reqs  []Request
	seq   atomic.Int64
	conns atomic.Int64
	bench *bench // Preencoded mode

	total    atomic.Int64
	inFlight atomic.Int64
	canceled atomic.Int64
	faulted  atomic.Int64

	notifyMu sync.Mutex
	notify   chan struct{}
}

// New starts a Server on a loopback port. Call Close when done.
func New(cfg Config) *Server {
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = 10 * time.Second
	}
	if cfg.Model == "" {
		cfg.Model = "bench"
	}
	s := &Server{cfg: cfg, notify: make(chan struct{})}
	if cfg.Preencoded {
		s.bench = newBench(&s.cfg)
	}
	s.srv = httptest.NewUnstartedServer(s.Handler())
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	return s
}

// Start runs handler as the fake (Config.Handler, every request recorded)
// and closes it at the end of the test.
func Start(t testing.TB, handler http.HandlerFunc) *Server {
	t.Helper()
	s := New(Config{Handler: handler, Record: true})
	t.Cleanup(s.Close)
	return s
}

// NewConns returns how many TCP connections clients opened: a client that
// reuses its keep-alive connections opens few.
func (s *Server) NewConns() int { return int(s.conns.Load()) }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// answer is the scripted answer to r, else AnswerFor's.
func (s *Server) answer(r Request) Answer {
	if s.cfg.Script != nil {
		if a, ok := s.cfg.Script(r); ok {
			return a
		}
	}
	return AnswerFor(r)
}

// Handler returns the fake's routes, for callers that run their own listener.
func (s *Server) Handler() http.Handler {
	if s.cfg.Handler != nil {
		return s.track(s.recordRaw)
	}
	if s.bench != nil {
		return s.bench
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat", s.track(s.handleOllama))
	mux.HandleFunc("GET /{prefix...}", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/models") {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, http.StatusOK, modelList(s.cfg.Model))
	})
	mux.HandleFunc("POST /{prefix...}", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
			http.NotFound(w, r)
			return
		}
		s.track(s.handleOpenAI)(w, r)
	})
	return mux
}

// modelList is the GET …/models answer.
func modelList(model string) openaiwire.ModelList {
	return openaiwire.ModelList{Object: "list", Data: []openaiwire.Model{{ID: model, Object: "model", Created: 1700000000, OwnedBy: "fake"}}}
}

// recordRaw records the request as received and hands it to Config.Handler.
func (s *Server) recordRaw(w http.ResponseWriter, r *http.Request) bool {
	body, _ := io.ReadAll(r.Body)
	s.record(Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Auth: r.Header.Get("Authorization")})
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.cfg.Handler(w, r)
	return true
}

// LastJSON decodes the last request body as a JSON object.
func (s *Server) LastJSON(t testing.TB) map[string]any {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request received")
	}
	var m map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &m); err != nil {
		t.Fatalf("request body is not JSON: %v", err)
	}
	return m
}

// URL is the server's root (use it as an Ollama api_base).
func (s *Server) URL() string { return s.srv.URL }

// OpenAIBase is the api_base for OpenAI-compatible models ({URL}/v1).
func (s *Server) OpenAIBase() string { return s.srv.URL + "/v1" }

// Close stops the server, cancelling any request still running.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Requests returns a copy of the recorded requests in arrival order
// (only with Config.Record).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Reset forgets recorded requests and zeroes the counters.
func (s *Server) Reset() {
	s.mu.Lock()
	s.reqs = nil
	s.mu.Unlock()
	s.total.Store(0)
	s.canceled.Store(0)
	s.faulted.Store(0)
}

// Total is the number of requests received.
func (s *Server) Total() int64 { return s.total.Load() }

// InFlight is the number of requests being answered now.
func (s *Server) InFlight() int64 { return s.inFlight.Load() }

// Canceled is the number of requests whose client went away before the
// answer was complete.
func (s *Server) Canceled() int64 { return s.canceled.Load() }

// Faulted is the number of requests that got an injected fault.
func (s *Server) Faulted() int64 { return s.faulted.Load() }

// WaitFor blocks until cond (evaluated on every counter change) holds or ctx
// ends.
func (s *Server) WaitFor(ctx context.Context, cond func(s *Server) bool) error {
	for {
		s.notifyMu.Lock()
		ch := s.notify
		s.notifyMu.Unlock()
		if cond(s) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Server) changed() {
	s.notifyMu.Lock()
	close(s.notify)
	s.notify = make(chan struct{})
	s.notifyMu.Unlock()
}

func (s *Server) record(r Request) Request {
	r.Seq = s.seq.Add(1)
	if r.Fault != FaultNone {
		s.faulted.Add(1)
	}
	if s.cfg.Record {
		s.mu.Lock()
		s.reqs = append(s.reqs, r)
		s.mu.Unlock()
	}
	return r
}

// track counts a request in flight and notes whether its client canceled it.
func (s *Server) track(h func(w http.ResponseWriter, r *http.Request) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.total.Add(1)
		s.inFlight.Add(1)
		s.changed()
		completed := false
		defer func() {
			if !completed && r.Context().Err() != nil {
				s.canceled.Add(1)
			}
			s.inFlight.Add(-1)
			s.changed()
		}()
		completed = h(w, r)
	}
}

// Wait sleeps d or until ctx ends; it reports whether the full wait
// elapsed (the fake's latencies; a load generator's staggered starts).
func Wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// hold waits for the Config.Hold gate of r, if any; false means the client
// went away first.
func (s *Server) hold(ctx context.Context, r Request) bool {
	if s.cfg.Hold == nil {
		return true
	}
	gate := s.cfg.Hold(r)
	if gate == nil {
		return true
	}
	select {
	case <-gate:
		return true
	case <-ctx.Done():
		return false
	}
}

// abort drops the connection without a clean end of response.
func abort() { panic(http.ErrAbortHandler) }
