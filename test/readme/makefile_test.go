package readme_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMakeHelpListsEveryDocumentedTarget runs `make help` and requires every
// target with a "## " description in it, digits in the name included
// (e2e-jaeger, test-e2e once fell through the listing's regex).
func TestMakeHelpListsEveryDocumentedTarget(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	makefile, err := os.ReadFile(filepath.Join(env.Root, "Makefile"))
	require.NoError(t, err)
	documented := regexp.MustCompile(`(?m)^([^\s:#=]+):[^=\n]*## `).FindAllStringSubmatch(string(makefile), -1)
	require.NotEmpty(t, documented)

	cmd := exec.CommandContext(t.Context(), "make", "--no-print-directory", "-s", "help")
	cmd.Dir = env.Root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	names := map[string]bool{}
	for _, m := range documented {
		names[m[1]] = true
		require.Regexp(t, `(?m)^  `+regexp.QuoteMeta(m[1])+`\s`, string(out), "make help does not list %q", m[1])
	}
	require.True(t, names["e2e-jaeger"], "the Makefile documents e2e-jaeger")
}
