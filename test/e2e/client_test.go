package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// response is one HTTP exchange with the server.
type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request and reads the whole answer; non-stream answers are
// validated against api/openapi.yaml, and every answer, chunk and event
// against the official OpenAI or Ollama document (by the client's
// recorder, as the body is read: a violation fails here, at the call).
func (s *stack) call(t *testing.T, method, path, body string, hdr map[string]string) response {
	t.Helper()
	r := s.raw(t.Context(), t, method, path, body, hdr)
	if !isStream(r.header) {
		validateResponse(t, method, path, []byte(body), r.status, r.header, r.body)
	}
	require.NoError(t, s.official.Problems(), "official documents")
	return r
}

func (s *stack) raw(ctx context.Context, t *testing.T, method, path, body string, hdr map[string]string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func isStream(h http.Header) bool {
	ct := h.Get("Content-Type")
	return strings.HasPrefix(ct, "text/event-stream") || strings.HasPrefix(ct, "application/x-ndjson")
}

// sseEvent is one server-sent event.
type sseEvent struct {
	event string
	data  string
}

// parseSSE splits an SSE body into events; comment lines are counted apart.
func parseSSE(t *testing.T, body []byte) (events []sseEvent, comments int) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.data != "" || cur.event != "" {
				events = append(events, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, ":"):
			comments++
		case strings.HasPrefix(line, "event:"):
			cur.event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			cur.data = strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		}
	}
	if cur.data != "" || cur.event != "" {
		events = append(events, cur)
	}
	return events, comments
}

// parseNDJSON decodes every line of an NDJSON body.
func parseNDJSON(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

func decodeMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), truncate(b, 400))
	return m
}

// path walks nested maps/arrays: path(m, "choices", 0, "message", "content").
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// messageItem is the message item of a response.completed event's output
// (a workflow answer has a reasoning item before it).
func messageItem(completed map[string]any) any {
	out, _ := path(completed, "response", "output").([]any)
	for _, item := range out {
		if str(path(item, "type")) == "message" {
			return item
		}
	}
	return nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
