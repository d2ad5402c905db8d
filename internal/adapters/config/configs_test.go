package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// TestConfigsDirectory loads and validates every file shipped in configs/.
func TestConfigsDirectory(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "configs")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	env := envOf(map[string]string{
		"IFLOW_API_KEY":  "test-iflow",
		"OPENAI_API_KEY": "test-openai",
		"TBOX_API_KEY":   "test-tbox",
		// configs/config-team-example.toml
		"ADMIN_KEY":        "test-admin",
		"TEAM_KEY":         "test-team",
		"OPENAI_API_KEY_B": "test-openai-b",
		"REDIS_URL":        "redis://127.0.0.1:6379/0",
	})
	seen := 0
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".toml" {
			continue
		}
		seen++
		t.Run(e.Name()+" loads and validates", func(t *testing.T) {
			t.Parallel()
			s, err := config.Load(config.LoadOptions{ExplicitPath: filepath.Join(dir, e.Name()), Getenv: env, HomeDir: t.TempDir()})
			require.NoError(t, err)
			require.NotEmpty(t, s.Models)
			require.Positive(t, config.WorkerCalls(s.Workflow.Root))
			require.Equal(t, e.Name() == "test-old-config.toml", s.Legacy)
		})
	}
	require.GreaterOrEqual(t, seen, 3)
}

func TestConfigsDirectory_NeedsItsEnvironment(t *testing.T) {
	t.Parallel()
	_, err := config.Load(config.LoadOptions{ExplicitPath: filepath.Join("..", "..", "..", "configs", "config-example.toml"), Getenv: noEnv, HomeDir: t.TempDir()})
	requireProblem(t, problemsOf(t, err), "IFLOW_API_KEY")
}
