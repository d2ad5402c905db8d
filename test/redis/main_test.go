package redis_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// The chorus binary is built once for every test of the package.
var (
	buildOnce sync.Once
	buildDir  string
	builtBin  string
	errBuild  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// chorusBinary builds cmd/chorus on first use.
func chorusBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := chorusproc.RepoRoot()
		if err != nil {
			errBuild = fmt.Errorf("repo root: %w", err)
			return
		}
		if buildDir, err = os.MkdirTemp("", "chorus-redis-test-"); err != nil {
			errBuild = fmt.Errorf("build dir: %w", err)
			return
		}
		builtBin, errBuild = chorusproc.Build(context.Background(), root, buildDir)
	})
	require.NoError(t, errBuild)
	return builtBin
}
