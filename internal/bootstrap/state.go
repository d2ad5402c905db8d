package bootstrap

import (
	"fmt"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/adapters/state/memory"
	"github.com/chorus-ai/chorus/internal/adapters/state/redisstate"
	"github.com/chorus-ai/chorus/internal/adapters/telemetry"
	"github.com/chorus-ai/chorus/internal/ports"
)

// sharedState is where the answer cache, the rate limits and the
// deployments' cooldowns keep their state: Redis when [state] redis_url is
// set, else this process. It lives as long as the App (a reload keeps it;
// changing [state] or [cache] needs a restart).
type sharedState struct {
	cache   ports.CacheStore  // nil: the cache is off
	limiter ports.Limiter     // nil: no key has a limit
	health  ports.HealthStore // never nil
	close   func() error
	// of is the configuration the state was built for.
	of stateConfig
}

// stateConfig is the part of the settings sharedState depends on.
type stateConfig struct {
	redisURL string
	cache    config.Cache
	limited  bool
}

func stateConfigOf(s *config.Settings) stateConfig {
	return stateConfig{redisURL: s.State.RedisURL, cache: s.Cache, limited: len(s.Server.KeyLimits) > 0}
}

func newSharedState(s *config.Settings, log zerolog.Logger, m *telemetry.Metrics) (*sharedState, error) {
	st := &sharedState{close: func() error { return nil }, of: stateConfigOf(s), health: memory.NewHealth(nil)}
	if s.State.RedisURL != "" {
		r, err := redisstate.New(redisstate.Options{URL: s.State.RedisURL, Logger: log, OnError: m.ObserveStateError})
		if err != nil {
			return nil, fmt.Errorf("bootstrap: state: %w", err)
		}
		st.close = r.Close
		st.health = r
		if s.Cache.Enabled {
			st.cache = r
		}
		if len(s.Server.KeyLimits) > 0 {
			st.limiter = r
		}
		return st, nil
	}
	if s.Cache.Enabled {
		st.cache = memory.NewCache(s.Cache.MaxEntries, s.Cache.TTL)
	}
	if len(s.Server.KeyLimits) > 0 {
		st.limiter = memory.NewLimiter(nil)
	}
	return st, nil
}
