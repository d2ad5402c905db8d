package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Each [[model]] rule names the model and the broken value.
func TestLoad_ModelRules(t *testing.T) {
	t.Parallel()
	requireRejected(t, []validationCase{
		{
			name:    "a duplicate model name is rejected",
			content: tomlWith(flatPlan, "[[model]]\nname = \"a\"\nprovider = \"echo\"\n"),
			want:    []string{`duplicate model name "a"`},
		},
		{
			name:    "a model temperature above 2 is rejected",
			content: tomlWith(flatPlan, "[[model]]\nname = \"hot\"\nprovider = \"echo\"\ntemperature = 2.5\n"),
			want:    []string{`"hot"`, "temperature 2.5 outside [0, 2]"},
		},
		{
			name:    "a negative model temperature is rejected",
			content: tomlWith(flatPlan, "[[model]]\nname = \"cold\"\nprovider = \"echo\"\ntemperature = -1\n"),
			want:    []string{`"cold"`, "outside [0, 2]"},
		},
		{
			name:    "an api_base that is not http(s) is rejected",
			content: tomlWith(flatPlan, "[[model]]\nname = \"f\"\napi_base = \"ftp://files.example.com\"\n"),
			want:    []string{`"f"`, `invalid api_base "ftp://files.example.com"`},
		},
		{
			name:    "an api_base without a host is rejected",
			content: tomlWith(flatPlan, "[[model]]\nname = \"h\"\napi_base = \"https://\"\n"),
			want:    []string{`"h"`, "invalid api_base"},
		},
		{
			name:    "a missing api_base is rejected for a remote provider",
			content: tomlWith(flatPlan, "[[model]]\nname = \"n\"\n"),
			want:    []string{`"n"`, "has no api_base"},
		},
		{
			name:    "an unknown provider is rejected",
			content: tomlWith(flatPlan, "[[model]]\nname = \"p\"\nprovider = \"grpc\"\napi_base = \"http://x\"\n"),
			want:    []string{`unknown provider "grpc"`},
		},
		{
			name:    "a config without any model is rejected",
			content: "[workflow-integration]\njson = '''" + flatPlan + "'''\n",
			want:    []string{"no [[model]] is defined"},
		},
		{
			name:    "a model named like the workflow is rejected",
			content: tomlWith(flatPlan, "[[model]]\nname = \"chorus\"\nprovider = \"echo\"\n"),
			want:    []string{`model name "chorus" is also the workflow's name`},
		},
	})
}

// Timeouts, [server] and [workflow] settings are range-checked by key.
func TestLoad_SettingRules(t *testing.T) {
	t.Parallel()
	requireRejected(t, []validationCase{
		{
			name:    "a zero timeout is rejected",
			content: tomlWith(flatPlan, "[workflow.timeouts]\nworker_timeout_secs = 0\n"),
			want:    []string{"workflow.timeouts.worker_timeout_secs must be a positive number of seconds", "got 0"},
		},
		{
			name:    "a negative domain timeout is rejected",
			content: tomlWith(flatPlan, "[workflow.domains.\"one.example.com\"]\nanalyzer_timeout_secs = -5\n"),
			want:    []string{`workflow.domains."one.example.com".analyzer_timeout_secs must be a positive`, "got -5"},
		},
		{
			name:    "an unknown mode is rejected",
			content: tomlWith(flatPlan, "[workflow]\nmode = \"vote\"\n"),
			want:    []string{`workflow.mode "vote" is unknown`},
		},
		{
			name:    "nested_worker_depth 0 is rejected",
			content: baseModels + "\n[workflow-integration]\nnested_worker_depth = 0\njson = '''" + flatPlan + "'''\n",
			want:    []string{"`nested_worker_depth` must be between 1 and", "got 0"},
		},
		{
			name:    "a keepalive of 10 seconds or more is rejected",
			content: tomlWith(flatPlan, "[server]\nkeepalive_secs = 10\n"),
			want:    []string{"server.keepalive_secs must be between 1 and 9", "got 10"},
		},
		{
			name:    "a port out of range is rejected",
			content: tomlWith(flatPlan, "[server]\nport = 70000\n"),
			want:    []string{"server.port must be between 1 and 65535, got 70000"},
		},
		{
			name:    "invalid workflow JSON is reported with line and column",
			content: tomlWith("{\n  \"analyzer\": {\"ref\": \"a\"},\n  \"workers\": [\"b\",, \"c\"]\n}", ""),
			want:    []string{"workflow JSON is invalid at line 3, column 19"},
		},
		{
			name:    "truncated workflow JSON is reported with line and column",
			content: tomlWith("{\n  \"analyzer\": {\"ref\": \"a\"}", ""),
			want:    []string{"workflow JSON is invalid at line 2", "unexpected end"},
		},
		{
			name:    "an unknown progress mode is rejected",
			content: tomlWith(flatPlan, "[workflow]\nprogress = \"loud\"\n"),
			want:    []string{`workflow.progress "loud" is unknown; use "reasoning" or "off"`},
		},
		{
			name:    "a negative max_concurrency is rejected",
			content: tomlWith(flatPlan, "[workflow]\nmax_concurrency = -1\n"),
			want:    []string{"workflow.max_concurrency must be 0 (unbounded) or positive"},
		},
	})
}

// The workflow JSON is checked by path: shape, targets and syntax.
func TestLoad_WorkflowJSONRules(t *testing.T) {
	t.Parallel()
	requireRejected(t, []validationCase{
		{
			name:    "a workflow node temperature outside [0, 2] is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":[{"name":"b","temperature":3}],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"workflow.workers[0]", "temperature 3 outside [0, 2]"},
		},
		{
			name:    "a plan with no workers is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":[],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"Workflow node at workflow has no workers"},
		},
		{
			name:    "a nested plan with no workers is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":["b",{"analyzer":{"ref":"a"},"workers":[]}],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"Workflow node at workflow.workers[1] has no workers"},
		},
		{
			name:    "a root plan with neither selector nor synthesizer is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":["b"]}`, ""),
			want:    []string{"Workflow node at workflow must define at least one of `synthesizer` or `selector`"},
		},
		{
			name:    "a missing workflow JSON is rejected",
			content: baseModels,
			want:    []string{"[workflow-integration] json is missing or empty"},
		},
		{
			name:    "unknown keys in the workflow JSON are rejected by name",
			content: tomlWith(`{"analyzer":{"ref":"a","temp":1},"workers":["b"],"synthesiser":{"ref":"d"},"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"workflow", `unknown key(s) "synthesiser"`},
		},
		{
			name:    "unknown keys in a workflow target are rejected by name",
			content: tomlWith(`{"analyzer":{"ref":"a","temp":1},"workers":["b"],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"workflow.analyzer", `unknown key(s) "temp"`},
		},
		{
			name:    "a target with both ref and name is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a","name":"b"},"workers":["b"],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"sets both `ref` and `name`"},
		},
		{
			name:    "a worker object that is neither a model nor a plan is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":[{"temperature":1}],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"workflow.workers[0]", "must either specify a `name`/`ref` model or a nested workflow"},
		},
		{
			name:    "a worker that is a number is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":[42],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"must be JSON objects or string model references, got 42"},
		},
		{
			name:    "a nested plan without an analyzer is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":[{"workers":["b"]}],"synthesizer":{"ref":"d"}}`, ""),
			want:    []string{"Nested workflow worker at workflow.workers[0] is missing required `analyzer` field"},
		},
		{
			name:    "a synthesizer that is not an object is rejected",
			content: tomlWith(`{"analyzer":{"ref":"a"},"workers":["b"],"synthesizer":"d"}`, ""),
			want:    []string{"has an invalid `synthesizer` field"},
		},
		{
			name:    "a root that is not an object is rejected",
			content: tomlWith(`["a"]`, ""),
			want:    []string{"Workflow integration JSON must start with an object at the root"},
		},
	})
}

// validationCase is a config that must be rejected with one problem line.
type validationCase struct {
	name    string
	content string
	want    []string // fragments of one problem line
}

func requireRejected(t *testing.T, cases []validationCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := loadString(t, tt.content, noEnv)
			requireProblem(t, problemsOf(t, err), tt.want...)
		})
	}
}

func TestLoad_ReportsAllProblemsAtOnce(t *testing.T) {
	t.Parallel()
	content := tomlWith(`{"analyzer":{"ref":"ghost"},"workers":["b"],"synthesizer":{"ref":"d"}}`, `
[[model]]
name = "a"
provider = "echo"

[[model]]
name = "x"
api_base = "not a url"
temperature = 9

[server]
port = 0

[workflow]
mode = "vote"

[workflow.timeouts]
analyzer_timeout_secs = 0
`)
	_, err := loadString(t, content, noEnv)
	problems := problemsOf(t, err)
	for _, want := range []string{
		`duplicate model name "a"`,
		`invalid api_base "not a url"`,
		"temperature 9 outside [0, 2]",
		"server.port must be between 1 and 65535",
		`workflow.mode "vote" is unknown`,
		"analyzer_timeout_secs must be a positive",
		"Workflow configuration references undefined model(s): ghost",
	} {
		requireProblem(t, problems, want)
	}
	require.Len(t, problems, 7, strings.Join(problems, "\n"))
	require.Contains(t, err.Error(), "7 problems")
}

func TestLoad_UndefinedModels(t *testing.T) {
	t.Parallel()
	plan := `{
  "analyzer": {"ref": "a"},
  "workers": [
    "zeta",
    {"analyzer": {"ref": "a"},
     "workers": ["b", {"analyzer": {"ref": "b"}, "workers": ["zeta"], "selector": {"ref": "alpha-missing"}}],
     "synthesizer": {"ref": "c"}}
  ],
  "synthesizer": {"ref": "d"}
}`
	_, err := loadString(t, tomlWith(plan, ""), noEnv)
	problems := problemsOf(t, err)
	require.Len(t, problems, 1)
	require.Equal(t, []string{
		"Workflow configuration references undefined model(s): alpha-missing, zeta",
		`    workflow.workers[0] = "zeta" is not a [[model]] name`,
		`    workflow.workers[1].workers[1].selector.ref = "alpha-missing" is not a [[model]] name`,
		`    workflow.workers[1].workers[1].workers[0] = "zeta" is not a [[model]] name`,
		"    defined models: a, b, c, d",
	}, strings.Split(problems[0], "\n"), "sorted, deduplicated summary first, then every reference at any depth with its path")
}

func TestLoad_UndefinedModelsAfterDepthExpansion(t *testing.T) {
	t.Parallel()
	content := baseModels + "\n[workflow-integration]\nnested_worker_depth = 3\njson = '''" +
		`{"analyzer":{"ref":"a"},"workers":["b","nope"],"selector":{"ref":"gone"},"synthesizer":{"ref":"d"}}` + "'''\n"
	_, err := loadString(t, content, noEnv)
	problems := problemsOf(t, err)
	require.Len(t, problems, 1, "the expansion repeats names; each reference is reported once, at its path as written")
	require.Equal(t, []string{
		"Workflow configuration references undefined model(s): gone, nope",
		`    workflow.selector.ref = "gone" is not a [[model]] name`,
		`    workflow.workers[1] = "nope" is not a [[model]] name`,
		"    defined models: a, b, c, d",
	}, strings.Split(problems[0], "\n"))
}
