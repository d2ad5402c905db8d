package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoad_CORSOrigins(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, tomlWith(flatPlan, ""), noEnv)
	require.NoError(t, err)
	require.Empty(t, s.Server.CORSOrigins, "same-origin only by default")

	s, err = loadString(t, tomlWith(flatPlan, "[server]\ncors_origins = [\"https://app.example\", \"http://localhost:3000/\", \"*\"]\n"), noEnv)
	require.NoError(t, err)
	require.Equal(t, []string{"https://app.example", "http://localhost:3000", "*"}, s.Server.CORSOrigins)

	_, err = loadString(t, tomlWith(flatPlan, "[server]\ncors_origins = [\"app.example\", \"https://app.example/path\"]\n"), noEnv)
	ps := problemsOf(t, err)
	requireProblem(t, ps, "server.cors_origins", `"app.example"`)
	requireProblem(t, ps, "server.cors_origins", `"https://app.example/path"`)
}
