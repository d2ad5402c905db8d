package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

func TestLoad_ConnectionLimits(t *testing.T) {
	t.Parallel()
	t.Run("defaults bound slow and idle clients", func(t *testing.T) {
		t.Parallel()
		s, err := loadString(t, tomlWith(flatPlan, ""), noEnv)
		require.NoError(t, err)
		require.Equal(t, config.ConnLimits{ReadTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxConnections: 1024}, s.Server.Conn)
	})
	t.Run("the keys set them", func(t *testing.T) {
		t.Parallel()
		s, err := loadString(t, tomlWith(flatPlan, "[server]\nread_timeout_secs = 5\nidle_timeout_secs = 7\nmax_connections = 64\n"), noEnv)
		require.NoError(t, err)
		require.Equal(t, config.ConnLimits{ReadTimeout: 5 * time.Second, IdleTimeout: 7 * time.Second, MaxConnections: 64}, s.Server.Conn)
	})
	t.Run("zero or negative values are reported together", func(t *testing.T) {
		t.Parallel()
		_, err := loadString(t, tomlWith(flatPlan, "[server]\nread_timeout_secs = 0\nidle_timeout_secs = -1\nmax_connections = 0\n"), noEnv)
		ps := problemsOf(t, err)
		requireProblem(t, ps, "server.read_timeout_secs", "got 0")
		requireProblem(t, ps, "server.idle_timeout_secs", "got -1")
		requireProblem(t, ps, "server.max_connections", "got 0")
	})
}
