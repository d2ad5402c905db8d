package e2e

import (
	"context"
	"net/http"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// eventually polls cond every 20 ms until it holds or 10 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

func (s *stack) modelIDs(t *testing.T) []string {
	r := s.call(t, http.MethodGet, "/v1/models", "", nil)
	require.Equal(t, http.StatusOK, r.status)
	var ids []string
	for _, d := range decodeMap(t, r.body)["data"].([]any) {
		ids = append(ids, str(path(d, "id")))
	}
	return ids
}

// TestSIGHUPReloadsTheConfigFile edits the config file and sends the process
// a real SIGHUP: a valid file replaces the running config, an invalid one is
// rejected with a logged error and the old config keeps serving.
func TestSIGHUPReloadsTheConfigFile(t *testing.T) {
	s := startStack(t, stackOptions{})
	orig, err := os.ReadFile(s.path)
	require.NoError(t, err)

	added := string(orig) + "\n[[model]]\nname = \"late\"\nprovider = \"ollama\"\napi_base = \"" + s.fake.URL() + "\"\n"
	require.NoError(t, os.WriteFile(s.path, []byte(added), 0o600))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	eventually(t, "the new model to be listed", func() bool { return slices.Contains(s.modelIDs(t), "late") })
	r := s.call(t, http.MethodPost, "/api/chat", `{"model":"late","stream":false,"messages":[{"role":"user","content":"hi"}]}`, nil)
	require.Equal(t, http.StatusOK, r.status, "the new model serves passthrough: %s", r.body)

	broken := strings.Replace(added, `"analyzer": {"ref": "analyst"`, `"analyzer": {"ref": "nobody"`, 1)
	require.NotEqual(t, added, broken)
	require.NoError(t, os.WriteFile(s.path, []byte(broken), 0o600))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	eventually(t, "the rejected reload to be logged", func() bool { return strings.Contains(s.logs.String(), "config reload failed") })
	require.Contains(t, s.logs.String(), "nobody", "the log names the problem")
	require.Contains(t, s.modelIDs(t), "late", "the running config stays")
	r = s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","messages":[{"role":"user","content":"still fine"}]}`, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
}
