package e2e

import (
	"fmt"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// deadBase returns an OpenAI api_base on a loopback port nothing listens on.
func deadBase(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr + "/v1"
}

func TestModelWithDeadDeploymentsAnswersFromItsFallback(t *testing.T) {
	s := startStack(t, stackOptions{extraTOML: fmt.Sprintf(`
[[model]]
name = "primary"
fallbacks = [%q]
  [[model.deployment]]
  api_base = %q
  [[model.deployment]]
  api_base = %q
`, mWorkerOAI, deadBase(t), deadBase(t))})

	for _, stream := range []bool{false, true} {
		r := s.call(t, http.MethodPost, "/v1/chat/completions",
			fmt.Sprintf(`{"model":"primary","stream":%t,"messages":[{"role":"user","content":"hello"}]}`, stream), nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		if !stream {
			m := decodeMap(t, r.body)
			require.Equal(t, mWorkerOAI, m["model"], "the answer names the fallback that answered")
			require.NotEmpty(t, str(path(m, "choices", 0, "message", "content")))
		}
	}
	calls := s.fake.Requests()
	require.Len(t, calls, 2, "only the fallback reached an upstream")
	require.Equal(t, mWorkerOAI, calls[0].Model)
	s.noPanics(t)
}
