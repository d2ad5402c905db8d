package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

const teamModels = `
[[model]]
name = "gpt"
fallbacks = ["gpt-backup"]
  [[model.deployment]]
  api_base = "https://a.example/v1"
  api_key = "${KEY_A}"
  weight = 3
  timeout_secs = 20
  [[model.deployment]]
  api_base = "http://b.example:8080"
  provider = "ollama"

[[model]]
name = "gpt-backup"
provider = "echo"

[workflow-integration]
json = '''{"analyzer":{"ref":"gpt"},"workers":["gpt","gpt-backup"],"synthesizer":{"ref":"gpt"}}'''
`

func TestLoad_TeamSections(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, teamModels+`
[health]
failure_threshold = 5
cooldown_secs = 7

[cache]
enabled = true
opt_in = true
ttl_secs = 60
max_entries = 10

[state]
redis_url = "${REDIS_URL}"
limits_fail_open = false

[server]
api_keys = ["plain", { key = "${TEAM_KEY}", requests_per_minute = 60, tokens_per_minute = 1000 }, { key = "nolimit" }]
`, envOf(map[string]string{"KEY_A": "ka", "REDIS_URL": "redis://127.0.0.1:6379/0", "TEAM_KEY": "tk"}))
	require.NoError(t, err)

	gpt := s.Models[0]
	require.Len(t, gpt.Deployments, 2)
	require.Equal(t, domain.Deployment{Provider: "openai", APIBase: "https://a.example/v1", APIKey: domain.NewSecret("ka"), Weight: 3, Timeout: 20 * time.Second}, gpt.Deployments[0])
	require.Equal(t, domain.Deployment{Provider: "ollama", APIBase: "http://b.example:8080", Weight: 1}, gpt.Deployments[1])
	require.Equal(t, "https://a.example/v1", gpt.APIBase, "the first deployment is the model's own endpoint")
	require.Equal(t, []string{"gpt-backup"}, gpt.Fallbacks)
	require.Equal(t, []string{"gpt-backup"}, s.Workflow.Models["gpt"].Fallbacks, "the workflow's copy of the spec has them too")
	require.Len(t, s.Models[1].Deployments, 1, "the single-endpoint form is one deployment")

	require.Equal(t, domain.HealthPolicy{FailureThreshold: 5, Cooldown: 7 * time.Second}, s.Health)
	require.True(t, s.Cache.Enabled)
	require.True(t, s.Cache.OptIn)
	require.Equal(t, time.Minute, s.Cache.TTL)
	require.Equal(t, 10, s.Cache.MaxEntries)
	require.Equal(t, "redis://127.0.0.1:6379/0", s.State.RedisURL)
	require.False(t, s.State.LimitsFailOpen)

	require.Len(t, s.Server.APIKeys, 3)
	require.Equal(t, []domain.KeyLimit{{Key: domain.NewSecret("tk"), RequestsPerMinute: 60, TokensPerMinute: 1000}}, s.Server.KeyLimits)
}

func TestLoad_TeamDefaults(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, tomlWith(flatPlan, ""), noEnv)
	require.NoError(t, err)
	require.Equal(t, domain.DefaultHealthPolicy, s.Health)
	require.False(t, s.Cache.Enabled, "the cache is off by default")
	require.False(t, s.Cache.OptIn, "once on, every cacheable request uses it by default")
	require.Equal(t, 600*time.Second, s.Cache.TTL)
	require.Equal(t, 10000, s.Cache.MaxEntries)
	require.Empty(t, s.State.RedisURL)
	require.True(t, s.State.LimitsFailOpen)
}

func TestLoad_OptInWithoutTheCacheIsWarned(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, tomlWith(flatPlan, "[cache]\nopt_in = true\n"), noEnv)
	require.NoError(t, err)
	require.Contains(t, s.Warnings, "cache.opt_in has no effect while cache.enabled is false: no request can use the cache")
}

func TestLoad_TeamProblemsAllAtOnce(t *testing.T) {
	t.Parallel()
	_, err := loadString(t, `
[[model]]
name = "a"
fallbacks = ["b", "ghost", "a"]
api_base = "https://x.example/v1"
  [[model.deployment]]
  api_base = "ftp://nope"
  weight = 0
  timeout_secs = -1

[[model]]
name = "b"
provider = "echo"
fallbacks = ["c"]

[[model]]
name = "c"
provider = "echo"
fallbacks = ["b"]

[workflow-integration]
json = '''{"analyzer":{"ref":"a"},"workers":["b"],"synthesizer":{"ref":"c"}}'''

[health]
failure_threshold = 0

[cache]
ttl_secs = 0

[state]
redis_url = "http://not-redis"

[server]
api_keys = [{ key = "k", requests_per_minute = -1 }]
`, noEnv)
	ps := problemsOf(t, err)
	requireProblem(t, ps, `model "a" has fallbacks naming undefined model(s): ghost`)
	requireProblem(t, ps, `model "a" lists itself in fallbacks`)
	requireProblem(t, ps, "model fallbacks form a cycle: b -> c -> b")
	requireProblem(t, ps, "sets api_base/api_key and [[model.deployment]]")
	requireProblem(t, ps, "deployment[0]", "invalid api_base")
	requireProblem(t, ps, "deployment[0]", "weight 0")
	requireProblem(t, ps, "deployment[0]", "timeout_secs -1")
	requireProblem(t, ps, "health.failure_threshold must be between 1 and 1000")
	requireProblem(t, ps, "cache.ttl_secs must be a positive")
	requireProblem(t, ps, "state.redis_url must be a redis://")
	requireProblem(t, ps, "requests_per_minute and tokens_per_minute must be 0 (unlimited) or positive")
}

func TestLoad_APIKeyEntryShapes(t *testing.T) {
	t.Parallel()
	_, err := loadString(t, tomlWith(flatPlan, `
[server]
api_keys = [1, { key = "k", burst = 3 }]
`), noEnv)
	ps := problemsOf(t, err)
	requireProblem(t, ps, "server.api_keys entries must be strings or tables, got integer")
	requireProblem(t, ps, `unknown key "burst"`)
}
