package bootstrap_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// A client is told which model failed and how, never the operator's
// upstream addresses (those stay in the logs and the trace).
func TestUpstreamFailuresDoNotNameUpstreamAddresses(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	dead := closedAddr(t)
	_, port, err := net.SplitHostPort(dead)
	require.NoError(t, err)
	s := settingsFor(fake, "dead", "dead2")
	for i := range s.Models {
		if s.Models[i].Name == "dead" || s.Models[i].Name == "dead2" {
			s.Models[i].APIBase = "http://" + dead + "/v1"
		}
	}
	r := serve(t, bootstrap.Options{Settings: s})

	for _, tc := range []struct{ name, path, body, want string }{
		{"passthrough", "/v1/chat/completions", chatBody("dead2", false), "model dead2: could not connect to the upstream"},
		{"passthrough stream", "/v1/chat/completions", chatBody("dead2", true), "model dead2: could not connect to the upstream"},
		{"workflow", "/v1/chat/completions", chatBody("chorus", false), "All worker models failed: dead: model dead: could not connect to the upstream"},
		{"ollama", "/api/chat", chatBody("dead2", false), "model dead2: could not connect to the upstream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, body, err := do(t.Context(), t, http.MethodPost, r.base+tc.path, tc.body)
			require.NoError(t, err)
			require.Equal(t, http.StatusBadGateway, st, string(body))
			require.Contains(t, string(body), tc.want)
			for _, leak := range []string{"127.0.0.1", ":" + port, "dial tcp", "connection refused"} {
				require.NotContains(t, string(body), leak)
			}
		})
	}
}

// An upstream that answers nothing with finish_reason "stop" gave a valid
// empty answer: a passthrough relays it (200), it is no upstream failure.
func TestPassthroughRelaysAnEmptyAnswerThatSaysStop(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Stream bool `json:"stream"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"c1","object":"chat.completion","created":1,"model":"quiet",` +
				`"choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}],` +
				`"usage":{"prompt_tokens":3,"completion_tokens":0,"total_tokens":3}}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write([]byte(`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"quiet",` +
			`"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}` + "\n\n" +
			`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"quiet",` +
			`"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n" + "data: [DONE]\n\n"))
	}))
	defer empty.Close()
	s := settingsFor(fake, "w1", "quiet")
	for i := range s.Models {
		if s.Models[i].Name == "quiet" {
			s.Models[i].APIBase = empty.URL + "/v1"
		}
	}
	r := serve(t, bootstrap.Options{Settings: s})

	st, body, err := do(t.Context(), t, http.MethodPost, r.base+"/v1/chat/completions", chatBody("quiet", false))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st, string(body))
	require.Empty(t, chatText(t, body))
	require.Contains(t, string(body), `"finish_reason":"stop"`)

	st, body, err = do(t.Context(), t, http.MethodPost, r.base+"/v1/chat/completions", chatBody("quiet", true))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st, string(body))
	text, done, err := sseText(stringsReader(string(body)))
	require.NoError(t, err)
	require.Empty(t, text)
	require.True(t, done, "the stream ends with [DONE]: %s", body)
}
