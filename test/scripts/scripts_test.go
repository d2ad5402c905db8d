package scripts_test

import (
	"context"
	"fmt"
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

// Shared by every test of the package: one build, one server.
var (
	root      string
	chorusBin string
	server    *chorusproc.Server
)

// missingTools names the first of the scripts' tools that is not installed.
func missingTools() string {
	for _, tool := range []string{"bash", "curl", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool
		}
	}
	return ""
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// run builds the binary and starts the server once, unless a tool is
// missing (then every test skips itself).
func run(m *testing.M) int {
	if missingTools() != "" {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "chorus-scripts-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if root, err = chorusproc.RepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if chorusBin, err = chorusproc.Build(ctx, root, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if server, err = chorusproc.Start(ctx, chorusBin, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	if err := server.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "%v\nserver output:\n%s\n", err, server.Output())
		return 1
	}
	return code
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
			cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts", tt.script), server.URL)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "CHORUS_BIN="+chorusBin, "CHORUS_API_KEY=")
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s failed:\n%s\nserver output:\n%s", tt.script, out, server.Output())
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
			cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts", script), fake.URL)
			cmd.Dir = root
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "%s passed against a fake server:\n%s", script, out)
			require.Equal(t, 1, exit.ExitCode(), "%s:\n%s", script, out)
			require.Contains(t, string(out), "FAIL")
		})
	}
}
