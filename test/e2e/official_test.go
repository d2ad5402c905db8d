package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	official "github.com/chorus-ai/chorus/test/contract"
)

// validateOfficial checks an answer, and every chunk or event of a stream,
// against the official OpenAI or Ollama document (official.CheckAnswer).
// Every answer the stack's client reads is also checked by its recorder
// (newOfficialClient), whoever sent the request: raw HTTP, openai-go.
func validateOfficial(t *testing.T, method, path string, r response) {
	t.Helper()
	require.NoError(t, official.CheckAnswer(official.Answer{
		Method: method, Path: path, Status: r.status, Header: r.header, Body: r.body, Complete: true,
	}))
}

// newOfficialClient is the stack's HTTP client: every answer it reads is
// checked against the official documents, and the test fails at cleanup if
// any broke them (so tests that read answers with their own code, SDK
// suites included, are covered too).
func newOfficialClient(t *testing.T) (*http.Client, *official.Recorder) {
	t.Helper()
	rec := official.NewRecorder(&http.Transport{MaxIdleConnsPerHost: 64})
	t.Cleanup(func() {
		if err := rec.Problems(); err != nil {
			t.Errorf("answers that break the official documents: %v", err)
		}
	})
	return &http.Client{Transport: rec}, rec
}
