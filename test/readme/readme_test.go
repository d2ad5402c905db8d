package readme_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/readme"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// defaultBase and defaultAdmin are the addresses the README's commands use
// (the demo's public port and its admin listener).
const (
	defaultBase  = "http://127.0.0.1:11435"
	defaultAdmin = "http://127.0.0.1:11436"
)

// env is shared by every test of the package: one build, one server.
var env chorusproc.Env

// TestMain builds the binary and starts the demo server once, unless bash or
// curl is missing (then the command test skips itself).
func TestMain(m *testing.M) {
	os.Exit(chorusproc.Main(m, &env, missingTool() == ""))
}

func missingTool() string {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool
		}
	}
	return ""
}

// readmes are the documents whose marked blocks run, with the fewest marked
// blocks each must hold (the quick start of each language at least).
var readmes = []struct {
	name      string
	minBlocks int
}{
	{name: "README.md", minBlocks: 5},
	{name: "README.en.md", minBlocks: 2},
}

func readDoc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(env.Root, name))
	require.NoError(t, err)
	return string(b)
}

func TestREADMEStartsWithTheDemoAndTestCommands(t *testing.T) {
	t.Parallel()
	makefile, err := os.ReadFile(filepath.Join(env.Root, "Makefile"))
	require.NoError(t, err)
	for _, target := range []string{"run", "test"} {
		require.Regexp(t, `(?m)^`+target+`:`, string(makefile), "Makefile has no %q target", target)
	}
	require.Regexp(t, `(?m)^run:.*\n(\t.*\n)*\t.*--demo`, string(makefile), "make run must start the demo")
	for _, doc := range readmes {
		first, ok := readme.FirstBlock(readDoc(t, doc.name))
		require.True(t, ok, "%s has no code block", doc.name)
		require.Regexp(t, `(?m)^make run\b`, first, "the first %s block must run the demo", doc.name)
		require.Regexp(t, `(?m)^make test\b`, first, "the first %s block must run the tests", doc.name)
	}
}

// TestREADMECommandsRunAgainstTheDemoServer runs every marked block of both
// READMEs against `chorus --demo --port N` (the README's own advice when
// 11435 is taken): the documented addresses become the server's.
func TestREADMECommandsRunAgainstTheDemoServer(t *testing.T) {
	if tool := missingTool(); tool != "" {
		t.Skipf("%s is not installed", tool)
	}
	// curl fails on an HTTP error status, so a command that gets a 4xx or 5xx
	// fails the block; the README shows plain curl.
	prelude := "set -euo pipefail\ncurl() { command curl --fail-with-body \"$@\"; }\n"
	for _, doc := range readmes {
		blocks, err := readme.MarkedBlocks(readDoc(t, doc.name))
		require.NoError(t, err, doc.name)
		require.GreaterOrEqual(t, len(blocks), doc.minBlocks, "%s should mark its quick-start commands with %s", doc.name, readme.Marker)
		for _, b := range blocks {
			script := strings.ReplaceAll(b.Script, defaultBase, env.Server.URL)
			script = strings.ReplaceAll(script, defaultAdmin, env.Server.AdminURL)
			script = strings.ReplaceAll(script, "./bin/chorus", env.Bin)
			t.Run(fmt.Sprintf("%s:%d runs", doc.name, b.Line), func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
				defer cancel()
				cmd := exec.CommandContext(ctx, "bash", "-c", prelude+script)
				cmd.Dir = env.Root
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, "%s:%d failed:\n%s\noutput:\n%s\nserver output:\n%s", doc.name, b.Line, b.Script, out, env.Server.Output())
				require.NotEmpty(t, strings.TrimSpace(string(out)), "%s:%d printed nothing", doc.name, b.Line)
			})
		}
	}
}
