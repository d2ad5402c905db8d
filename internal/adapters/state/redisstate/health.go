package redisstate

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/chorus-ai/chorus/internal/ports"
)

// healthPrefix keeps deployment cooldowns apart from the cache and limits.
const healthPrefix = "chorus:health:"

var _ ports.HealthStore = (*Store)(nil)

// Cool implements ports.HealthStore: the key lives exactly as long as the
// cooldown, so Redis' own clock ends it and replicas' clocks never meet.
func (s *Store) Cool(ctx context.Context, key string, d time.Duration) error {
	if s.skip() {
		return errSkipped
	}
	if d <= 0 {
		return nil
	}
	if err := s.rdb.Set(ctx, healthPrefix+key, 1, d).Err(); err != nil {
		return s.failed(ctx, "health", err)
	}
	return nil
}

// Cooling implements ports.HealthStore with one round trip: the remaining
// time to live of every key, pipelined.
func (s *Store) Cooling(ctx context.Context, keys []string) ([]time.Duration, error) {
	if s.skip() {
		return nil, errSkipped
	}
	cmds := make([]*redis.DurationCmd, len(keys))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.PTTL(ctx, healthPrefix+k)
		}
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, "health", err)
	}
	out := make([]time.Duration, len(keys))
	for i, c := range cmds {
		out[i] = max(c.Val(), 0) // -2 (no key) and -1 (no expiry) are no cooldown
	}
	return out, nil
}
