package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// Issue 10, finding 10: a synthesizer that fails (a wrong key, a broken
// upstream) still gives an answer, the selected worker's, but no longer
// passes for a clean one.
func TestASynthesizerFailureIsADegradedAnswerNotASilentOne(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Faults: fakeupstream.ForModel(mSynth, fakeupstream.Fault401)}})
	r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,
		"messages":[{"role":"user","content":"hello"}]}`, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Equal(t, "synthesizer", r.header.Get("X-Chorus-Degraded"))
	m := decodeMap(t, r.body)
	require.Equal(t, "degraded", path(m, "workflow", "status"))
	require.Equal(t, "fallback", path(m, "workflow", "synthesizer", "status"))
	require.Contains(t, s.logs.String(), "workflow answer degraded")

	require.Contains(t, s.scrape(t), `chorus_workflow_degraded_total{stage="synthesizer"} 1`)
}
