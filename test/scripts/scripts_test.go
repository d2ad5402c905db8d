package scripts_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// env is shared by every test of the package: one build, one server.
var env chorusproc.Env

// missingTools names the first of the scripts' tools that is not installed.
func missingTools() string {
	for _, tool := range []string{"bash", "curl", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool
		}
	}
	return ""
}

// TestMain builds the binary and starts the server once, unless a tool is
// missing (then every test skips itself).
func TestMain(m *testing.M) {
	os.Exit(chorusproc.Main(m, &env, missingTools() == ""))
}

func TestScriptsPassAgainstTheDemoServer(t *testing.T) {
	if tool := missingTools(); tool != "" {
		t.Skipf("%s is not installed", tool)
	}
	tests := []struct {
		script string
	}{
		{script: "test_api.sh"},
		{script: "test_stream.sh"},
		{script: "test_streaming.sh"},
		{script: "test_migration.sh"},
	}
	for _, tt := range tests {
		t.Run(tt.script+" exits 0", func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", filepath.Join(env.Root, "scripts", tt.script), env.Server.URL, env.Server.AdminURL)
			cmd.Dir = env.Root
			cmd.Env = append(os.Environ(), "CHORUS_BIN="+env.Bin, "CHORUS_API_KEY=")
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s failed:\n%s\nserver output:\n%s", tt.script, out, env.Server.Output())
		})
	}
}

func TestScriptsFailAgainstAServerThatIsNotChorus(t *testing.T) {
	if tool := missingTools(); tool != "" {
		t.Skipf("%s is not installed", tool)
	}
	// Answers every request with 200 and an empty JSON object: each script
	// must notice and exit non-zero.
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	t.Cleanup(fake.Close)
	for _, script := range []string{"test_api.sh", "test_stream.sh", "test_streaming.sh"} {
		t.Run(script+" exits 1", func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", filepath.Join(env.Root, "scripts", script), fake.URL)
			cmd.Dir = env.Root
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "%s passed against a fake server:\n%s", script, out)
			require.Equal(t, 1, exit.ExitCode(), "%s:\n%s", script, out)
			require.Contains(t, string(out), "FAIL")
		})
	}
}
