package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

func TestLoad_ReportsEveryKindOfProblemInOnePass(t *testing.T) {
	t.Parallel()
	content := tomlWith(`{"analyzer":{"ref":"a"},"workers":["b","ghost"],"synthesizer":{"ref":"d"}}`, `
[server]
port = "abc"
hots = "127.0.0.1"

[[model]]
name = "e"
api_base = "not a url"
`)
	_, err := loadString(t, content, noEnv)
	problems := problemsOf(t, err)
	requireProblem(t, problems, `unknown key "hots" in [server]`)
	requireProblem(t, problems, `server.port must be an integer, got string "abc"`)
	requireProblem(t, problems, `model[4] ("e") has an invalid api_base "not a url"`)
	requireProblem(t, problems, "Workflow configuration references undefined model(s): ghost")
	require.Len(t, problems, 4, strings.Join(problems, "\n"))
}

func TestLoad_UndefinedModelSuggestsTheNearestName(t *testing.T) {
	t.Parallel()
	models := `
[[model]]
name = "gpt-4o"
provider = "echo"

[[model]]
name = "Qwen3-Max"
provider = "echo"
`
	plan := `{"analyzer":{"ref":"gpt-4o"},"workers":[{"name":"gtp-4o"},"qwen3-max","llama"],"synthesizer":{"ref":"gpt-4o"}}`
	_, err := loadString(t, models+"\n[workflow-integration]\njson = '''"+plan+"'''\n", noEnv)
	problems := problemsOf(t, err)
	require.Len(t, problems, 1)
	require.Equal(t, []string{
		"Workflow configuration references undefined model(s): gtp-4o, llama, qwen3-max",
		`    workflow.workers[0].name = "gtp-4o" is not a [[model]] name; did you mean "gpt-4o"?`,
		`    workflow.workers[1] = "qwen3-max" is not a [[model]] name; did you mean "Qwen3-Max"?`,
		`    workflow.workers[2] = "llama" is not a [[model]] name`,
		"    defined models: Qwen3-Max, gpt-4o",
	}, strings.Split(problems[0], "\n"), "a far name gets no suggestion")
}

func TestLoad_ServerHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host string
		want string // problem fragment; empty = valid
	}{
		{host: "127.0.0.1"},
		{host: "0.0.0.0"},
		{host: "localhost"},
		{host: "::1"},
		{host: "chorus_gateway.svc.cluster.local"},
		{host: "127.0.0.1:8080", want: `server.host "127.0.0.1:8080" contains a port`},
		{host: "localhost:11435", want: "set the port in server.port"},
		{host: "http://127.0.0.1", want: "is a URL"},
		{host: "[::1]", want: "without brackets"},
		{host: "my host", want: "is not a valid host name"},
		{host: " ", want: "server.host must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			t.Parallel()
			s, err := loadString(t, tomlWith(flatPlan, "\n[server]\nhost = \""+tt.host+"\"\n"), noEnv)
			if tt.want == "" {
				require.NoError(t, err)
				require.Equal(t, tt.host, s.Server.Host)
				return
			}
			requireProblem(t, problemsOf(t, err), "config.toml:", tt.want)
		})
	}
}

func TestLoad_WarnsAboutDomainsThatMatchNoModel(t *testing.T) {
	t.Parallel()
	content := tomlWith(flatPlan, `
[workflow.domains."one.example.com"]
worker_timeout_secs = 5

[workflow.domains."two.example.com:8080"]
worker_timeout_secs = 5
`)
	s, err := loadString(t, content, noEnv)
	require.NoError(t, err, "an unused override is not an error")
	require.Len(t, s.Warnings, 1, strings.Join(s.Warnings, "\n"))
	require.Contains(t, s.Warnings[0], `workflow.domains."two.example.com:8080" matches the api_base host of no [[model]]`)
	require.Contains(t, s.Warnings[0], "model hosts: localhost, one.example.com, two.example.com")
}

func TestLoad_EmptyEnvVariableIsNotCalledUnset(t *testing.T) {
	t.Parallel()
	content := tomlWith(flatPlan, `
[[model]]
name = "empty"
api_base = "https://e.example.com/v1"
api_key = "${CHORUS_TEST_EMPTY}"

[[model]]
name = "unset"
api_base = "https://u.example.com/v1"
api_key = "${CHORUS_TEST_UNSET}"
`)
	p := writeFile(t, t.TempDir(), "config.toml", content)
	lookup := func(k string) (string, bool) {
		if k == "CHORUS_TEST_EMPTY" {
			return "", true
		}
		return "", false
	}
	_, err := config.Load(config.LoadOptions{ExplicitPath: p, LookupEnv: lookup, HomeDir: t.TempDir()})
	problems := problemsOf(t, err)
	requireProblem(t, problems, `model[4] ("empty") api_key refers to environment variable CHORUS_TEST_EMPTY, which is set but empty`)
	requireProblem(t, problems, `model[5] ("unset") api_key refers to environment variable CHORUS_TEST_UNSET, which is not set`)
	require.Len(t, problems, 2)
}
