package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

func TestConfigTOMLIsAcceptedByTheRealLoader(t *testing.T) {
	tests := []struct {
		name  string
		depth int
		pprof bool
		cache bool
	}{
		{"a flat workflow", 1, false, false},
		{"depth 3 with pprof", 3, true, false},
		{"the cache scenario", 1, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bench.toml")
			toml := ConfigTOML(ConfigParams{Port: 18080, FastURL: "http://127.0.0.1:1/v1", SlowURL: "http://127.0.0.1:2/v1", Depth: tt.depth, Pprof: tt.pprof, Cache: tt.cache, AdminPort: 18081})
			require.NoError(t, os.WriteFile(path, []byte(toml), 0o600))

			s, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: func(string) string { return "" }})
			require.NoError(t, err)
			require.Equal(t, 18080, s.Server.Port)
			require.Equal(t, tt.pprof, s.Server.Pprof)
			require.Equal(t, tt.cache, s.Cache.Enabled, "only the cache scenario runs with the answer cache")
			require.Empty(t, s.Server.KeyLimits, "no scenario runs with rate limits")
			require.Equal(t, "127.0.0.1:18081", s.Server.AdminAddr)
			require.Len(t, s.Models, 1+len(workflowModels))
			require.Equal(t, WorkflowModel, s.Workflow.Name)
			require.Equal(t, WorkerCalls(tt.depth), config.WorkerCalls(s.Workflow.Root))
		})
	}
}

func TestExpectedCallsCountEveryStageOfEveryLevel(t *testing.T) {
	dir := t.TempDir()
	flat, err := ExpectedCalls(dir, 1)
	require.NoError(t, err)
	require.Equal(t, 6, flat, "analyzer, three workers, selector, synthesizer")
	deep, err := ExpectedCalls(dir, 2)
	require.NoError(t, err)
	require.Greater(t, deep, WorkerCalls(2), "nested plans add their own stage calls to the leaf workers")
}
