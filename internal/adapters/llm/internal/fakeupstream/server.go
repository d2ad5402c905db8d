// Package fakeupstream provides loopback upstream servers for the LLM
// adapter tests: a recording httptest server that counts TCP connections,
// and dialects that write the OpenAI and Ollama wire formats.
package fakeupstream

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Server is a loopback upstream that records requests and counts new TCP
// connections.
type Server struct {
	*httptest.Server
	newConns atomic.Int64
	mu       sync.Mutex
	requests []Request
}

// Start runs handler on a loopback server closed at the end of the test.
func Start(t testing.TB, handler http.HandlerFunc) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		handler(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// NewConns returns how many TCP connections clients opened.
func (s *Server) NewConns() int { return int(s.newConns.Load()) }

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
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

// Cut closes the connection under a response mid-body, the way a dying
// upstream does: no terminating chunk, no [DONE], no final object.
func Cut(w http.ResponseWriter) {
	w.(http.Flusher).Flush()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	_ = conn.Close()
}

// Flush sends buffered output to the client.
func Flush(w http.ResponseWriter) { w.(http.Flusher).Flush() }
