package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// team is the converted team-scale sections.
type team struct {
	health domain.HealthPolicy
	cache  Cache
	state  State
}

// plainKeys turns CHORUS_API_KEYS entries into api_keys entries without limits.
func plainKeys(keys []maskedText) []rawAPIKey {
	out := make([]rawAPIKey, len(keys))
	for i, k := range keys {
		out[i] = rawAPIKey{Key: k}
	}
	return out
}

// toAPIKeys expands every api_keys entry; limits lists the ones with a budget.
func toAPIKeys(entries []rawAPIKey, env envLookup, ps *problems) (keys []domain.Secret, limits []domain.KeyLimit) {
	keys = make([]domain.Secret, 0, len(entries))
	for i, e := range entries {
		where := fmt.Sprintf("server.api_keys[%d]", i)
		sec := expandSecret(e.Key, env, where, ps, "server.api_keys")
		if e.RequestsPerMinute < 0 || e.TokensPerMinute < 0 {
			ps.addAt("server.api_keys", "%s: requests_per_minute and tokens_per_minute must be 0 (unlimited) or positive", where)
		}
		if !sec.IsSet() {
			continue
		}
		keys = append(keys, sec)
		kl := domain.KeyLimit{Key: sec, RequestsPerMinute: e.RequestsPerMinute, TokensPerMinute: e.TokensPerMinute}
		if kl.Limited() {
			limits = append(limits, kl)
		}
	}
	return keys, limits
}

// toEndpoints fills spec's deployments: the [[model.deployment]] entries,
// or the model's own api_base/api_key as its one deployment. The stage
// timeouts follow the host of the first deployment.
func toEndpoints(spec *domain.ModelSpec, m rawModel, wf rawWorkflow, env envLookup, label, key string, ps *problems) {
	if len(m.Deployments) == 0 {
		checkAPIBase(m.APIBase, spec.Provider, label, joinKey(key, "api_base"), ps)
		spec.Deployments = []domain.Deployment{{
			Provider: spec.Provider,
			APIBase:  strings.TrimSpace(m.APIBase),
			APIKey:   expandSecret(m.APIKey, env, label+" api_key", ps, joinKey(key, "api_key")),
			Weight:   1,
		}}
	} else {
		if strings.TrimSpace(m.APIBase) != "" || m.APIKey != "" {
			ps.addAt(joinKey(key, "api_base"), "%s sets api_base/api_key and [[model.deployment]]; put every endpoint in a [[model.deployment]]", label)
		}
		for i, d := range m.Deployments {
			spec.Deployments = append(spec.Deployments, toDeployment(d, spec.Provider, env, fmt.Sprintf("%s deployment[%d]", label, i), indexKey(joinKey(key, "deployment"), i), ps))
		}
	}
	first := spec.Deployments[0]
	spec.APIBase, spec.APIKey, spec.Provider = first.APIBase, first.APIKey, first.Provider
	spec.Timeouts = stageTimeouts(wf, first.APIBase)
}

func toDeployment(d rawDeployment, provider string, env envLookup, label, key string, ps *problems) domain.Deployment {
	if p := strings.ToLower(strings.TrimSpace(d.Provider)); p != "" {
		if !slices.Contains([]string{domain.ProviderOpenAI, domain.ProviderOllama, domain.ProviderEcho}, p) {
			ps.addAt(joinKey(key, "provider"), "%s has unknown provider %q; use openai, ollama or echo", label, d.Provider)
		}
		provider = p
	}
	checkAPIBase(d.APIBase, provider, label, joinKey(key, "api_base"), ps)
	out := domain.Deployment{
		Provider: provider,
		APIBase:  strings.TrimSpace(d.APIBase),
		APIKey:   expandSecret(d.APIKey, env, label+" api_key", ps, joinKey(key, "api_key")),
		Weight:   1,
	}
	if d.Weight != nil {
		if *d.Weight < 1 || *d.Weight > 1000 {
			ps.addAt(joinKey(key, "weight"), "%s has weight %d; use 1..1000", label, *d.Weight)
		}
		out.Weight = *d.Weight
	}
	if d.TimeoutSecs != nil {
		if *d.TimeoutSecs < 1 || *d.TimeoutSecs > maxTimeoutSecs {
			ps.addAt(joinKey(key, "timeout_secs"), "%s has timeout_secs %d; use 1..%d", label, *d.TimeoutSecs, maxTimeoutSecs)
		}
		out.Timeout = time.Duration(*d.TimeoutSecs) * time.Second
	}
	return out
}

// checkFallbacks reports fallbacks that name no model (or the model
// itself) and every cycle among them, all at once.
func checkFallbacks(raw []rawModel, models []domain.ModelSpec, ps *problems) {
	known := make(map[string]bool, len(models))
	for _, m := range models {
		known[m.Name] = true
	}
	for i, m := range models {
		var unknown []string
		for _, fb := range raw[i].Fallbacks {
			switch {
			case fb == m.Name:
				ps.addAt(joinKey(indexKey("model", i), "fallbacks"), "model %q lists itself in fallbacks", m.Name)
			case !known[fb]:
				unknown = append(unknown, fb)
			}
		}
		if len(unknown) > 0 {
			ps.addAt(joinKey(indexKey("model", i), "fallbacks"), "model %q has fallbacks naming undefined model(s): %s", m.Name, strings.Join(unknown, ", "))
		}
		models[i].Fallbacks = slices.Clone(raw[i].Fallbacks)
	}
	for _, cycle := range fallbackCycles(models) {
		ps.add("model fallbacks form a cycle: %s", strings.Join(cycle, " -> "))
	}
}

// fallbackCycles returns each cycle of the fallback graph once, starting at
// its first model in configuration order (self-references are reported
// elsewhere).
func fallbackCycles(models []domain.ModelSpec) [][]string {
	next := make(map[string][]string, len(models))
	for _, m := range models {
		next[m.Name] = m.Fallbacks
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var cycles [][]string
	var visit func(string)
	visit = func(n string) {
		state[n] = onPath
		path = append(path, n)
		for _, fb := range next[n] {
			switch state[fb] {
			case onPath:
				if fb != n {
					start := slices.Index(path, fb)
					cycles = append(cycles, append(slices.Clone(path[start:]), fb))
				}
			case unseen:
				if _, ok := next[fb]; ok {
					visit(fb)
				}
			}
		}
		path = path[:len(path)-1]
		state[n] = done
	}
	for _, m := range models {
		if state[m.Name] == unseen {
			visit(m.Name)
		}
	}
	return cycles
}

// toTeam converts [health], [cache] and [state].
func toTeam(raw rawConfig, env envLookup, ps *problems) team {
	h, c, st := raw.Health, raw.Cache, raw.State
	if h.FailureThreshold < 1 || h.FailureThreshold > 1000 {
		ps.addAt("health.failure_threshold", "health.failure_threshold must be between 1 and 1000, got %d", h.FailureThreshold)
	}
	if h.CooldownSecs < 1 || h.CooldownSecs > maxTimeoutSecs {
		ps.addAt("health.cooldown_secs", "health.cooldown_secs must be a positive number of seconds (1..%d), got %d", maxTimeoutSecs, h.CooldownSecs)
	}
	if c.TTLSecs < 1 || c.TTLSecs > 30*maxTimeoutSecs {
		ps.addAt("cache.ttl_secs", "cache.ttl_secs must be a positive number of seconds (1..%d), got %d", 30*maxTimeoutSecs, c.TTLSecs)
	}
	if c.MaxEntries < 1 || c.MaxEntries > 10_000_000 {
		ps.addAt("cache.max_entries", "cache.max_entries must be between 1 and 10000000, got %d", c.MaxEntries)
	}
	if c.OptIn && !c.Enabled {
		ps.warn("cache.opt_in has no effect while cache.enabled is false: no request can use the cache")
	}
	redisURL := expandSecret(st.RedisURL, env, "state.redis_url", ps, "state.redis_url").Reveal()
	if redisURL != "" {
		if u, err := url.Parse(redisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			// The URL may hold a password: name the problem, not the value.
			ps.addAt("state.redis_url", "state.redis_url must be a redis://, rediss:// or unix:// URL")
		}
	}
	return team{
		health: domain.HealthPolicy{FailureThreshold: h.FailureThreshold, Cooldown: time.Duration(h.CooldownSecs) * time.Second},
		cache:  Cache{Enabled: c.Enabled, OptIn: c.OptIn, TTL: time.Duration(c.TTLSecs) * time.Second, MaxEntries: c.MaxEntries},
		state:  State{RedisURL: redisURL, LimitsFailOpen: st.LimitsFailOpen},
	}
}
