package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// baseModels defines models a, b, c, d on two hosts.
const baseModels = `
[[model]]
name = "a"
api_base = "https://one.example.com/v1"
api_key = "k-a"

[[model]]
name = "b"
api_base = "https://one.example.com/v1"
api_key = "k-b"

[[model]]
name = "c"
api_base = "http://two.example.com:8080/v1"
api_key = "k-c"

[[model]]
name = "d"
provider = "ollama"
api_base = "http://localhost:11434"
`

const flatPlan = `{"analyzer":{"ref":"a"},"workers":["b","c"],"synthesizer":{"ref":"d"}}`

// tomlWith returns a config with baseModels, the given workflow JSON and
// extra TOML appended.
func tomlWith(planJSON, extra string) string {
	return baseModels + "\n[workflow-integration]\njson = '''" + planJSON + "'''\n" + extra
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

// noEnv is a Getenv with nothing set.
func noEnv(string) string { return "" }

// envOf builds a Getenv from pairs.
func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// loadString writes content to a temp file and loads it.
func loadString(t *testing.T, content string, getenv func(string) string) (*config.Settings, error) {
	t.Helper()
	p := writeFile(t, t.TempDir(), "config.toml", content)
	return config.Load(config.LoadOptions{ExplicitPath: p, Getenv: getenv, HomeDir: t.TempDir()})
}

// problemsOf requires a *ValidationError and returns its problems.
func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var ve *config.ValidationError
	require.ErrorAs(t, err, &ve)
	return ve.Problems
}

// requireProblem requires one problem line that contains every fragment.
func requireProblem(t *testing.T, problems []string, fragments ...string) {
	t.Helper()
	for _, p := range problems {
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(p, f)
		}
		if ok {
			return
		}
	}
	require.Failf(t, "no problem matches", "want %q in one of:\n%s", fragments, strings.Join(problems, "\n"))
}
