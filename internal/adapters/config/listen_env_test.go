package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

func TestLoad_HostAndPortFromTheEnvironmentOverrideEveryConfig(t *testing.T) {
	t.Parallel()
	env := envOf(map[string]string{"CHORUS_HOST": "0.0.0.0", "CHORUS_PORT": "18080"})
	t.Run("a file", func(t *testing.T) {
		t.Parallel()
		s, err := loadString(t, tomlWith(flatPlan, "[server]\nhost = \"127.0.0.1\"\nport = 9000\n"), env)
		require.NoError(t, err)
		require.Equal(t, "0.0.0.0", s.Server.Host)
		require.Equal(t, 18080, s.Server.Port)
	})
	t.Run("the demo", func(t *testing.T) {
		t.Parallel()
		s, err := config.Load(config.LoadOptions{Demo: true, Getenv: env, HomeDir: t.TempDir()})
		require.NoError(t, err)
		require.Equal(t, "0.0.0.0", s.Server.Host)
		require.Equal(t, 18080, s.Server.Port)
	})
	t.Run("a port that is no port number is a problem naming the variable", func(t *testing.T) {
		t.Parallel()
		_, err := loadString(t, tomlWith(flatPlan, ""), envOf(map[string]string{"CHORUS_PORT": "70000"}))
		requireProblem(t, problemsOf(t, err), "CHORUS_PORT", "70000")
	})
}
