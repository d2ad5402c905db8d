package readme_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/readme"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// defaultBase is the address the README's commands use (the demo's).
const defaultBase = "http://127.0.0.1:11435"

// Shared by every test of the package: one build, one server.
var (
	root      string
	chorusBin string
	server    *chorusproc.Server
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// run builds the binary and starts the demo server once, unless bash or curl
// is missing (then the command test skips itself).
func run(m *testing.M) int {
	var err error
	if root, err = chorusproc.RepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if missingTool() != "" {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "chorus-readme-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
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

func missingTool() string {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool
		}
	}
	return ""
}

func readREADME(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	return string(b)
}

func TestREADMEStartsWithTheDemoAndTestCommands(t *testing.T) {
	t.Parallel()
	first, ok := readme.FirstBlock(readREADME(t))
	require.True(t, ok, "README.md has no code block")
	require.Regexp(t, `(?m)^make run\b`, first, "the first README block must run the demo")
	require.Regexp(t, `(?m)^make test\b`, first, "the first README block must run the tests")

	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	for _, target := range []string{"run", "test"} {
		require.Regexp(t, regexp.MustCompile(`(?m)^`+target+`:`), string(makefile), "Makefile has no %q target", target)
	}
	require.Regexp(t, `(?m)^run:.*\n(\t.*\n)*\t.*--demo`, string(makefile), "make run must start the demo")
}

func TestREADMECommandsRunAgainstTheDemoServer(t *testing.T) {
	if tool := missingTool(); tool != "" {
		t.Skipf("%s is not installed", tool)
	}
	blocks, err := readme.MarkedBlocks(readREADME(t))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(blocks), 5, "README.md should mark its quick-start commands with %s", readme.Marker)

	// curl fails on an HTTP error status, so a command that gets a 4xx or 5xx
	// fails the block; the README shows plain curl.
	prelude := "set -euo pipefail\ncurl() { command curl --fail-with-body \"$@\"; }\n"
	for _, b := range blocks {
		script := strings.ReplaceAll(b.Script, defaultBase, server.URL)
		script = strings.ReplaceAll(script, "./bin/chorus", chorusBin)
		t.Run(fmt.Sprintf("README.md:%d runs", b.Line), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", "-c", prelude+script)
			cmd.Dir = root
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "README.md:%d failed:\n%s\noutput:\n%s\nserver output:\n%s", b.Line, b.Script, out, server.Output())
			require.NotEmpty(t, strings.TrimSpace(string(out)), "README.md:%d printed nothing", b.Line)
		})
	}
}
