package contract

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// serveOnce answers every request with the given content type and body.
func serveOnce(t *testing.T, contentType, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, c *http.Client, url string, readAll bool) {
	t.Helper()
	resp, err := c.Post(url, "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	if readAll {
		_, err = io.ReadAll(resp.Body)
		require.NoError(t, err)
	}
	require.NoError(t, resp.Body.Close())
}

// TestRecorderFindsABrokenAnswerWhoeverReadsIt proves the recorder is not
// vacuous: an answer without the required refusal is reported.
func TestRecorderFindsABrokenAnswerWhoeverReadsIt(t *testing.T) {
	srv := serveOnce(t, "application/json", `{"id":"c","object":"chat.completion","created":1,"model":"m",
		"choices":[{"index":0,"finish_reason":"stop","logprobs":null,"message":{"role":"assistant","content":"hi"}}]}`)
	rec := NewRecorder(nil)
	get(t, &http.Client{Transport: rec}, srv.URL+"/v1/chat/completions", true)
	require.Equal(t, 1, rec.Checked())
	require.ErrorContains(t, rec.Problems(), "refusal")
}

func TestRecorderChecksOnlyTheWholeFramesOfAStreamReadInPart(t *testing.T) {
	chunk := `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m",` +
		`"choices":[{"index":0,"delta":{"content":"hi"},"logprobs":null,"finish_reason":null}]}`
	srv := serveOnce(t, "text/event-stream", "data: "+chunk+"\n\ndata: {\"id\":\"c\",\"obj")
	rec := NewRecorder(nil)
	c := &http.Client{Transport: rec}
	resp, err := c.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	buf := make([]byte, len("data: ")+len(chunk)+2+10) // the first frame and part of the second
	_, err = io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, 1, rec.Checked())
	require.NoError(t, rec.Problems(), "the cut frame is not a violation")

	brokenChunk := strings.Replace(chunk, `,"finish_reason":null`, ``, 1)
	broken := serveOnce(t, "text/event-stream", "data: "+brokenChunk+"\n\ndata: [DONE]\n\n")
	resp, err = c.Post(broken.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, len("data: ")+len(brokenChunk)+2))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.ErrorContains(t, rec.Problems(), "finish_reason", "a whole frame received is checked even when the body was not read to the end")
}

func TestRecorderWantsOllamasErrorOnOllamaRoutes(t *testing.T) {
	rec := NewRecorder(nil)
	c := &http.Client{Transport: rec}
	ollamaShaped := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"unauthorized"}`)
	}))
	defer ollamaShaped.Close()
	get(t, c, ollamaShaped.URL+"/api/chat", true)
	require.NoError(t, rec.Problems())
	get(t, c, ollamaShaped.URL+"/v1/chat/completions", true)
	require.ErrorContains(t, rec.Problems(), "ErrorResponse", "OpenAI routes need the error object")
}
