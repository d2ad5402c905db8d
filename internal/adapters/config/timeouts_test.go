package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestLoad_DomainTimeoutOverrides(t *testing.T) {
	t.Parallel()
	sec := func(a, w, sel, syn int) domain.StageTimeouts {
		return domain.StageTimeouts{
			Analyzer: time.Duration(a) * time.Second, Worker: time.Duration(w) * time.Second,
			Selector: time.Duration(sel) * time.Second, Synthesizer: time.Duration(syn) * time.Second,
		}
	}
	tests := []struct {
		name  string
		extra string
		want  map[string]domain.StageTimeouts
	}{
		{
			name:  "without overrides every model gets the defaults and the selector uses the synthesizer's",
			extra: "",
			want:  map[string]domain.StageTimeouts{"a": sec(30, 60, 60, 60), "c": sec(30, 60, 60, 60), "d": sec(30, 60, 60, 60)},
		},
		{
			name:  "an explicit selector timeout applies to every host",
			extra: "[workflow.timeouts]\nanalyzer_timeout_secs = 5\nselector_timeout_secs = 7\n",
			want:  map[string]domain.StageTimeouts{"a": sec(5, 60, 7, 60), "c": sec(5, 60, 7, 60)},
		},
		{
			name: "a domain override replaces only the fields it sets, matched on the host without port",
			extra: "[workflow.domains.\"one.example.com\"]\nworker_timeout_secs = 80\n" +
				"[workflow.domains.\"two.example.com\"]\nanalyzer_timeout_secs = 40\nsynthesizer_timeout_secs = 90\n",
			want: map[string]domain.StageTimeouts{
				"a": sec(30, 80, 60, 60),
				"b": sec(30, 80, 60, 60),
				"c": sec(40, 60, 90, 90), // the selector follows the overridden synthesizer
				"d": sec(30, 60, 60, 60), // localhost has no override
			},
		},
		{
			name: "a global selector timeout is not replaced by a domain's synthesizer override",
			extra: "[workflow.timeouts]\nselector_timeout_secs = 15\n" +
				"[workflow.domains.\"two.example.com\"]\nsynthesizer_timeout_secs = 90\n",
			want: map[string]domain.StageTimeouts{"c": sec(30, 60, 15, 90)},
		},
		{
			name:  "a domain may override the selector alone",
			extra: "[workflow.domains.localhost]\nselector_timeout_secs = 3\n",
			want:  map[string]domain.StageTimeouts{"d": sec(30, 60, 3, 60), "a": sec(30, 60, 60, 60)},
		},
		{
			name:  "a domain key with a port never matches",
			extra: "[workflow.domains.\"two.example.com:8080\"]\nworker_timeout_secs = 99\n",
			want:  map[string]domain.StageTimeouts{"c": sec(30, 60, 60, 60)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := loadString(t, tomlWith(flatPlan, tt.extra), noEnv)
			require.NoError(t, err)
			for model, want := range tt.want {
				require.Equal(t, want, s.Workflow.Models[model].Timeouts, model)
			}
			for _, m := range s.Models {
				require.Equal(t, s.Workflow.Models[m.Name].Timeouts, m.Timeouts, "Models and Workflow.Models agree")
			}
		})
	}
}

func TestLoad_DomainOverrideHostForms(t *testing.T) {
	t.Parallel()
	content := `
[[model]]
name = "upper"
api_base = "https://API.Example.COM/v1"

[[model]]
name = "v6"
api_base = "http://[::1]:11434"

[workflow-integration]
json = '''{"analyzer":{"ref":"upper"},"workers":["v6"],"synthesizer":{"ref":"upper"}}'''

[workflow.domains."api.example.com"]
worker_timeout_secs = 11

[workflow.domains."[::1]"]
worker_timeout_secs = 12
`
	s, err := loadString(t, content, noEnv)
	require.NoError(t, err)
	require.Equal(t, 11*time.Second, s.Workflow.Models["upper"].Timeouts.Worker, "hosts compare lower-cased")
	require.Equal(t, 12*time.Second, s.Workflow.Models["v6"].Timeouts.Worker, "IPv6 hosts match in brackets")
}
