package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
)

const legacyTOML = `# a comment that will be lost
[server]
host = "127.0.0.1"
port = 12000

[[model]]
name = "glm"
api_base = "https://one.example.com/v1"
api_key = "${LEGACY_KEY}"

[[model]]
name = "qwen"
api_base = "https://two.example.com/v1"
api_key = "literal-secret-key"
temperature = 0.6

[workflow-integration]
nested_worker_depth = 2
analyzer_model = "glm"
worker_models = ["qwen", "glm"]
synthesizer_model = "glm"

[workflow.timeouts]
analyzer_timeout_secs = 31
worker_timeout_secs = 61
synthesizer_timeout_secs = 62

[workflow.domains."two.example.com"]
worker_timeout_secs = 90
`

var legacyEnv = envOf(map[string]string{"LEGACY_KEY": "from-env"})

// requireLegacySemantics checks the settings every form of legacyTOML
// must produce.
func requireLegacySemantics(t *testing.T, s *config.Settings) {
	t.Helper()
	require.Equal(t, 12000, s.Server.Port)
	require.Equal(t, 2, s.NestedWorkerDepth)
	require.Equal(t, 4, config.WorkerCalls(s.Workflow.Root), "2 workers x 2^(2-1)")
	root := s.Workflow.Root
	require.Equal(t, "glm", root.Analyzer.Model)
	require.Equal(t, "glm", root.Synthesizer.Model)
	require.Nil(t, root.Selector)
	first := root.Workers[0].(domain.SubWorkflowNode).Plan.Workers[0].(domain.ModelNode)
	require.Equal(t, "qwen", first.Model)
	require.Equal(t, int64(61), int64(s.Workflow.Models["glm"].Timeouts.Worker.Seconds()))
	require.Equal(t, int64(90), int64(s.Workflow.Models["qwen"].Timeouts.Worker.Seconds()))
	require.Equal(t, int64(62), int64(s.Workflow.Models["qwen"].Timeouts.Selector.Seconds()))
	require.Equal(t, "literal-secret-key", s.Workflow.Models["qwen"].APIKey.Reveal())
	require.Equal(t, "from-env", s.Workflow.Models["glm"].APIKey.Reveal())
}

func TestMigrate_RewritesWithBackupAndIsIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "config.toml", legacyTOML)

	out, migrated, err := config.Migrate(path, false)
	require.NoError(t, err)
	require.True(t, migrated)

	bak, err := os.ReadFile(path + ".bak")
	require.NoError(t, err)
	require.Equal(t, legacyTOML, string(bak), "the original is kept byte for byte")
	written, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(out), string(written))
	require.Contains(t, string(written), `"analyzer"`)
	require.Contains(t, string(written), path+".bak")
	require.NotContains(t, string(written), "analyzer_model")
	require.Contains(t, string(written), "nested_worker_depth = 2")

	s, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: legacyEnv, HomeDir: dir})
	require.NoError(t, err)
	require.False(t, s.Legacy)
	requireLegacySemantics(t, s)

	out, migrated, err = config.Migrate(path, false)
	require.NoError(t, err)
	require.False(t, migrated, "a second run has nothing to do")
	require.Nil(t, out)
	again, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, written, again)
	require.Equal(t, []string{"config.toml", "config.toml.bak"}, dirNames(t, dir), "no temp files or extra backups remain")
}

func TestMigrate_ExistingBackupGetsTimestamp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "config.toml", legacyTOML)
	writeFile(t, dir, "config.toml.bak", "older backup")

	_, migrated, err := config.Migrate(path, false)
	require.NoError(t, err)
	require.True(t, migrated)
	old, err := os.ReadFile(path + ".bak")
	require.NoError(t, err)
	require.Equal(t, "older backup", string(old), "an existing backup is never overwritten")
	names := dirNames(t, dir)
	require.Len(t, names, 3)
	require.True(t, strings.HasPrefix(names[2], "config.toml.bak."), names[2])
	stamped, err := os.ReadFile(filepath.Join(dir, names[2]))
	require.NoError(t, err)
	require.Equal(t, legacyTOML, string(stamped))
}

func TestMigrate_DryRunWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "config.toml", legacyTOML)

	out, migrated, err := config.Migrate(path, true)
	require.NoError(t, err)
	require.True(t, migrated)
	require.Contains(t, string(out), "json = '''")
	require.Contains(t, string(out), `"workers"`)
	require.NotContains(t, string(out), "literal-secret-key", "a printed dry run masks literal keys")
	require.Contains(t, string(out), "${LEGACY_KEY}", "env references are kept")
	require.Equal(t, []string{"config.toml"}, dirNames(t, dir))
	unchanged, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, legacyTOML, string(unchanged))
}

func TestLoad_LegacyFile(t *testing.T) {
	t.Parallel()
	t.Run("without AllowMigrate it loads in memory and writes nothing", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		path := writeFile(t, dir, "custom.toml", legacyTOML)
		s, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: legacyEnv, HomeDir: dir})
		require.NoError(t, err)
		require.True(t, s.Legacy)
		require.Empty(t, s.BackupPath)
		requireLegacySemantics(t, s)
		require.Equal(t, []string{"custom.toml"}, dirNames(t, dir))
	})
	t.Run("with AllowMigrate a file from any path is rewritten and backed up", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		path := writeFile(t, dir, "custom.toml", legacyTOML)
		s, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: legacyEnv, HomeDir: dir, AllowMigrate: true})
		require.NoError(t, err)
		require.True(t, s.Legacy)
		require.Equal(t, path+".bak", s.BackupPath)
		requireLegacySemantics(t, s)
		require.Equal(t, []string{"custom.toml", "custom.toml.bak"}, dirNames(t, dir))

		s2, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: legacyEnv, HomeDir: dir, AllowMigrate: true})
		require.NoError(t, err)
		require.False(t, s2.Legacy, "the rewritten file is in the current form")
		require.Equal(t, []string{"custom.toml", "custom.toml.bak"}, dirNames(t, dir))
	})
	t.Run("an invalid legacy file is reported and never rewritten", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		bad := strings.Replace(legacyTOML, `synthesizer_model = "glm"`, `synthesizer_model = "ghost"`, 1)
		path := writeFile(t, dir, "config.toml", bad)
		_, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: legacyEnv, HomeDir: dir, AllowMigrate: true})
		require.Equal(t, []string{"Workflow configuration references undefined model(s): ghost\n" +
			`    workflow-integration.synthesizer_model = "ghost" is not a [[model]] name` + "\n" +
			"    defined models: glm, qwen"}, problemsOf(t, err), "the reference is named at the legacy key the user wrote")
		require.Equal(t, []string{"config.toml"}, dirNames(t, dir))
	})
	t.Run("a partly legacy file names the missing keys", func(t *testing.T) {
		t.Parallel()
		bad := strings.Replace(legacyTOML, `synthesizer_model = "glm"`, "", 1)
		_, err := loadString(t, bad, legacyEnv)
		requireProblem(t, problemsOf(t, err), "missing: synthesizer_model")
	})
	t.Run("legacy keys next to a json plan are rejected", func(t *testing.T) {
		t.Parallel()
		bad := strings.Replace(legacyTOML, "nested_worker_depth = 2", "nested_worker_depth = 2\njson = '''"+`{"analyzer":{"ref":"glm"},"workers":["glm"],"synthesizer":{"ref":"glm"}}`+"'''", 1)
		_, err := loadString(t, bad, legacyEnv)
		requireProblem(t, problemsOf(t, err), "has both a json plan and legacy keys")
	})
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestMigrate_RoundTripsEveryValue(t *testing.T) {
	t.Parallel()
	extra := `
[server]
api_keys = ["in-key"]
pprof = true

[workflow]
name = "ens"
mode = "select"
max_concurrency = 3

[workflow.prompts]
analyzer = """
Line one with "quotes" and ''' triple
	tab and \\ backslash"""
selector = '''
multi
line'''
synthesizer = "single"
`
	src := strings.Replace(legacyTOML, "[server]\nhost = \"127.0.0.1\"\nport = 12000\n", "", 1) + extra
	before, err := loadString(t, src, legacyEnv)
	require.NoError(t, err)

	dir := t.TempDir()
	path := writeFile(t, dir, "config.toml", src)
	_, migrated, err := config.Migrate(path, false)
	require.NoError(t, err)
	require.True(t, migrated)
	after, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: legacyEnv, HomeDir: dir})
	require.NoError(t, err)

	require.Equal(t, before.Workflow.Prompts, after.Workflow.Prompts)
	require.Equal(t, before.Server, after.Server)
	require.Equal(t, before.Models, after.Models)
	require.Equal(t, before.Workflow.Root, after.Workflow.Root)
	require.Equal(t, before.Workflow.Name, after.Workflow.Name)
	require.Equal(t, before.Workflow.Mode, after.Workflow.Mode)
	require.Equal(t, before.Workflow.MaxConcurrency, after.Workflow.MaxConcurrency)
	require.Contains(t, before.Workflow.Prompts.Analyzer, `''' triple`)
}
