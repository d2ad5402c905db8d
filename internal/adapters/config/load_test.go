package config_test

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
)

func TestLoad_Precedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	explicit := writeFile(t, dir, "explicit.toml", tomlWith(flatPlan, "[server]\nport = 1001\n"))
	fromEnv := writeFile(t, dir, "env.toml", tomlWith(flatPlan, "[server]\nport = 1002\n"))
	writeFile(t, home, ".config/chorus/config.toml", tomlWith(flatPlan, "[server]\nport = 1003\n"))
	emptyHome := filepath.Join(dir, "empty-home")

	tests := []struct {
		name     string
		explicit string
		env      string
		home     string
		wantPort int
		wantPath string
	}{
		{"the --config flag wins over CHORUS_CONFIG and the default file", explicit, fromEnv, home, 1001, explicit},
		{"CHORUS_CONFIG wins over the default file", "", fromEnv, home, 1002, fromEnv},
		{"the default file is used when nothing else is given", "", "", home, 1003, config.DefaultPath(home)},
		{"the --config flag works without any default file", explicit, "", emptyHome, 1001, explicit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := config.Load(config.LoadOptions{
				ExplicitPath: tt.explicit,
				Getenv:       envOf(map[string]string{"CHORUS_CONFIG": tt.env}),
				HomeDir:      tt.home,
			})
			require.NoError(t, err)
			require.Equal(t, tt.wantPort, s.Server.Port)
			require.Equal(t, tt.wantPath, s.Path)
		})
	}
}

func TestLoad_MissingFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	writeFile(t, home, ".config/chorus/config.toml", tomlWith(flatPlan, ""))
	missing := filepath.Join(dir, "nope.toml")

	t.Run("an explicit path that does not exist is an error naming it, even with a default file", func(t *testing.T) {
		t.Parallel()
		_, err := config.Load(config.LoadOptions{ExplicitPath: missing, Getenv: noEnv, HomeDir: home})
		var nf *config.NotFoundError
		require.ErrorAs(t, err, &nf)
		require.ErrorIs(t, err, fs.ErrNotExist)
		require.Contains(t, err.Error(), missing)
		require.Contains(t, err.Error(), "--config")
	})
	t.Run("a CHORUS_CONFIG path that does not exist is an error naming it and the variable", func(t *testing.T) {
		t.Parallel()
		_, err := config.Load(config.LoadOptions{Getenv: envOf(map[string]string{"CHORUS_CONFIG": missing}), HomeDir: home})
		var nf *config.NotFoundError
		require.ErrorAs(t, err, &nf)
		require.Contains(t, err.Error(), missing)
		require.Contains(t, err.Error(), "CHORUS_CONFIG")
	})
	t.Run("no file anywhere is ErrNoConfig listing where it looked and how to start", func(t *testing.T) {
		t.Parallel()
		empty := filepath.Join(dir, "empty")
		_, err := config.Load(config.LoadOptions{Getenv: noEnv, HomeDir: empty})
		require.ErrorIs(t, err, config.ErrNoConfig)
		require.Contains(t, err.Error(), config.DefaultPath(empty))
		require.Contains(t, err.Error(), "CHORUS_CONFIG")
		require.Contains(t, err.Error(), "cp configs/config-example.toml ~/.config/chorus/config.toml")
		require.Contains(t, err.Error(), "--demo")
	})
	t.Run("a directory given as the config is an error naming it", func(t *testing.T) {
		t.Parallel()
		_, err := config.Load(config.LoadOptions{ExplicitPath: dir, Getenv: noEnv, HomeDir: home})
		var nf *config.NotFoundError
		require.ErrorAs(t, err, &nf)
		require.Contains(t, err.Error(), dir)
	})
}

func TestLoad_Demo(t *testing.T) {
	t.Parallel()
	t.Run("--demo loads the embedded echo config even when no file exists", func(t *testing.T) {
		t.Parallel()
		s, err := config.Load(config.LoadOptions{Demo: true, Getenv: noEnv, HomeDir: t.TempDir()})
		require.NoError(t, err)
		require.True(t, s.Demo)
		require.Empty(t, s.Path)
		require.NotEmpty(t, s.Models)
		for _, m := range s.Models {
			require.Equal(t, "echo", m.Provider, m.Name)
		}
		root := s.Workflow.Root
		require.True(t, s.Workflow.Models[root.Analyzer.Model].AutoTemperature.Value, "the demo analyzer uses auto_temperature")
		require.NotNil(t, root.Selector)
		require.NotNil(t, root.Synthesizer)
		require.Len(t, root.Workers, config.WorkerCalls(root))
	})
	t.Run("--demo together with --config is rejected", func(t *testing.T) {
		t.Parallel()
		_, err := config.Load(config.LoadOptions{Demo: true, ExplicitPath: "x.toml", Getenv: noEnv})
		require.ErrorIs(t, err, config.ErrDemoWithConfig)
	})
}

func TestLoad_Defaults(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, tomlWith(flatPlan, ""), noEnv)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", s.Server.Host)
	require.Equal(t, 11435, s.Server.Port)
	require.EqualValues(t, 10<<20, s.Server.MaxBodyBytes)
	require.Equal(t, "30s", s.Server.ShutdownTimeout.String())
	require.Equal(t, "5s", s.Server.KeepAliveInterval.String())
	require.False(t, s.Server.Pprof)
	require.True(t, s.Server.UI)
	require.Equal(t, domain.ProgressReasoning, s.Workflow.Progress)
	require.False(t, s.Workflow.ProgressNames)
	require.Empty(t, s.Server.APIKeys)
	require.Equal(t, "chorus", s.Workflow.Name)
	require.EqualValues(t, "synthesize", s.Workflow.Mode)
	require.Zero(t, s.Workflow.MaxConcurrency)
	require.Equal(t, 1, s.NestedWorkerDepth)
	require.Equal(t, []string{"a", "b", "c", "d"}, s.Workflow.ModelOrder)
	require.Equal(t, "openai", s.Workflow.Models["a"].Provider)
	require.Equal(t, "ollama", s.Workflow.Models["d"].Provider)
	require.False(t, s.Legacy)
}

func TestLoad_ExplicitValues(t *testing.T) {
	t.Parallel()
	extra := `
[server]
host = "0.0.0.0"
port = 8080
api_keys = ["in-1", "in-2"]
max_body_bytes = 2048
shutdown_timeout_secs = 3
keepalive_secs = 9
pprof = true
ui = false

[workflow]
name = "ensemble"
mode = "select"
max_concurrency = 4
progress = "off"
progress_names = true

[workflow.prompts]
analyzer = "A {{.}}"
selector = "S"
synthesizer = "Y"
`
	s, err := loadString(t, tomlWith(flatPlan, extra), noEnv)
	require.NoError(t, err)
	require.Equal(t, "0.0.0.0", s.Server.Host)
	require.Equal(t, 8080, s.Server.Port)
	require.Len(t, s.Server.APIKeys, 2)
	require.Equal(t, "in-2", s.Server.APIKeys[1].Reveal())
	require.EqualValues(t, 2048, s.Server.MaxBodyBytes)
	require.Equal(t, "3s", s.Server.ShutdownTimeout.String())
	require.Equal(t, "9s", s.Server.KeepAliveInterval.String())
	require.True(t, s.Server.Pprof)
	require.Equal(t, "ensemble", s.Workflow.Name)
	require.EqualValues(t, "select", s.Workflow.Mode)
	require.Equal(t, 4, s.Workflow.MaxConcurrency)
	require.False(t, s.Server.UI)
	require.Equal(t, domain.ProgressOff, s.Workflow.Progress)
	require.True(t, s.Workflow.ProgressNames)
	require.Equal(t, "A {{.}}", s.Workflow.Prompts.Analyzer)
	require.Equal(t, "S", s.Workflow.Prompts.Selector)
	require.Equal(t, "Y", s.Workflow.Prompts.Synthesizer)

	t.Run("CHORUS_API_KEYS replaces the file's api_keys", func(t *testing.T) {
		t.Parallel()
		s, err := loadString(t, tomlWith(flatPlan, extra), envOf(map[string]string{"CHORUS_API_KEYS": " e1 , ,e2"}))
		require.NoError(t, err)
		require.Len(t, s.Server.APIKeys, 2)
		require.Equal(t, "e1", s.Server.APIKeys[0].Reveal())
		require.Equal(t, "e2", s.Server.APIKeys[1].Reveal())
	})
}

func TestLoad_AlternativeShapes(t *testing.T) {
	t.Parallel()
	t.Run("workflow-integration may be the plain JSON string", func(t *testing.T) {
		t.Parallel()
		s, err := loadString(t, "workflow-integration = '''"+flatPlan+"'''\n"+baseModels, noEnv)
		require.NoError(t, err)
		require.Equal(t, "a", s.Workflow.Root.Analyzer.Model)
		require.Len(t, s.Workflow.Root.Workers, 2)
	})
	t.Run("a single [model] table is accepted", func(t *testing.T) {
		t.Parallel()
		s, err := loadString(t, "[model]\nname = \"a\"\nprovider = \"echo\"\n[workflow-integration]\njson = '''{\"analyzer\":{\"ref\":\"a\"},\"workers\":[\"a\"],\"synthesizer\":{\"ref\":\"a\"}}'''\n", noEnv)
		require.NoError(t, err)
		require.Len(t, s.Models, 1)
	})
}
