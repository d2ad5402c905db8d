package fakeupstream

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"
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
}

// Server is a fake upstream serving, on one loopback address:
//
//	POST /v1/chat/completions, POST /chat/completions (OpenAI, any prefix)
//	POST /api/chat (Ollama)
type Server struct {
	cfg  Config
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []Request
	seq  atomic.Int64

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
	s := &Server{cfg: cfg, notify: make(chan struct{})}
	s.srv = httptest.NewServer(s.Handler())
	return s
}

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
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat", s.track(s.handleOllama))
	mux.HandleFunc("POST /{prefix...}", func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Path) >= len("/chat/completions") && r.URL.Path[len(r.URL.Path)-len("/chat/completions"):] == "/chat/completions" {
			s.track(s.handleOpenAI)(w, r)
			return
		}
		http.NotFound(w, r)
	})
	return mux
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

// wait sleeps d or until ctx ends; it reports whether the full wait elapsed.
func wait(ctx context.Context, d time.Duration) bool {
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
