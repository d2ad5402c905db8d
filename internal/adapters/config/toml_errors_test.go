package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoad_FileErrorsCarryFileAndPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		want    []string // fragments after the temp path
	}{
		{
			name:    "malformed TOML is reported with line and column",
			content: "[server]\nport = 11435\nhost = \"127.0.0.1\n",
			want:    []string{":3:", "invalid TOML"},
		},
		{
			name:    "an unclosed table header is reported with line and column",
			content: "[server\n",
			want:    []string{":1:8:", "invalid TOML"},
		},
		{
			name:    "a string port is a type error at the key",
			content: tomlWith(flatPlan, "\n[server]\nport = \"abc\"\n"),
			want:    []string{`server.port must be an integer, got string "abc"`},
		},
		{
			name:    "a float where an integer belongs is a type error",
			content: tomlWith(flatPlan, "\n[workflow.timeouts]\nworker_timeout_secs = 1.5\n"),
			want:    []string{"workflow.timeouts.worker_timeout_secs must be an integer, got float 1.5"},
		},
		{
			name:    "an unknown section is named",
			content: tomlWith(flatPlan, "\n[servre]\nport = 1\n"),
			want:    []string{`unknown section or key "servre"`},
		},
		{
			name:    "an unknown key in a model is named with its model",
			content: tomlWith(flatPlan, "\n[[model]]\nname = \"e\"\nprovider = \"echo\"\napi_bse = \"x\"\n"),
			want:    []string{`unknown key "api_bse" in model[4]`},
		},
		{
			name:    "an unknown key in a domain override is named",
			content: tomlWith(flatPlan, "\n[workflow.domains.\"a.example.com\"]\nworker_timeout = 3\n"),
			want:    []string{`unknown key "worker_timeout" in [workflow.domains."a.example.com"]`},
		},
		{
			name:    "a secret of the wrong type is not echoed",
			content: tomlWith(flatPlan, "\n[[model]]\nname = \"e\"\nprovider = \"echo\"\napi_key = 123456789\n"),
			want:    []string{"api_key must be a string, got integer"},
		},
		{
			name:    "a model list that is not tables is a type error",
			content: "model = [\"a\"]\n",
			want:    []string{"model[0] must be a table"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var problems []string
			require.NotPanics(t, func() {
				_, err := loadString(t, tt.content, noEnv)
				problems = problemsOf(t, err)
			})
			requireProblem(t, problems, append([]string{"config.toml:"}, tt.want...)...)
			for _, p := range problems {
				require.NotContains(t, p, "123456789")
			}
		})
	}
}

func TestLoad_PositionsPointAtTheKey(t *testing.T) {
	t.Parallel()
	content := tomlWith(flatPlan, "\n[server]\nhost = \"h\"\n  port = \"abc\"\n")
	_, err := loadString(t, content, noEnv)
	// baseModels and the json take the first lines; find the line number
	// independently by counting.
	line := 1
	for i, r := range content {
		if r == '\n' {
			line++
		}
		if content[i:] != "" && len(content[i:]) >= 4 && content[i:i+4] == "port" {
			break
		}
	}
	requireProblem(t, problemsOf(t, err), "config.toml:"+itoa(line)+":3: server.port must be an integer")
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestLoad_UnknownKeysAreReportedAtTheirLine(t *testing.T) {
	t.Parallel()
	content := `[[model]]
name = "a"
provider = "echo"
api_bse = "x"

[servre]
port = 1

[workflow.domains."h.example.com"]
worker_timeout = 3

[workflow-integration]
json = '''{"analyzer":{"ref":"a"},"workers":["a"],"synthesizer":{"ref":"a"}}'''
`
	_, err := loadString(t, content, noEnv)
	problems := problemsOf(t, err)
	require.Len(t, problems, 3, "every unknown name is reported at once")
	requireProblem(t, problems, `config.toml:4:1: unknown key "api_bse" in model[0]`)
	requireProblem(t, problems, `config.toml:6:2: unknown section or key "servre"`)
	requireProblem(t, problems, `config.toml:10:1: unknown key "worker_timeout" in [workflow.domains."h.example.com"]`)
}
