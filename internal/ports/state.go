package ports

import (
	"context"
	"time"
)

// CacheStore keeps encoded answers by key for a while: in this process, or
// in a store shared by every replica. An error means the store is
// unreachable; callers treat it as a miss.
type CacheStore interface {
	// Get returns the value stored under key; ok is false on a miss.
	Get(ctx context.Context, key string) (value []byte, ok bool, err error)
	// Set stores value under key for ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Limiter spends per-minute budgets (requests, tokens) of a key with the
// generic cell rate algorithm (GCRA): a full budget refills evenly over one
// minute.
type Limiter interface {
	// Take spends n units of key's budget when all of them are available;
	// n = 0 spends nothing and only checks that at least one unit is left.
	Take(ctx context.Context, key string, perMinute, n int) (LimitDecision, error)
	// Charge spends n units after the fact (tokens of a finished answer),
	// as many as are left when fewer.
	Charge(ctx context.Context, key string, perMinute, n int) error
}

// LimitDecision is the outcome of Limiter.Take.
type LimitDecision struct {
	Allowed bool
	// RetryAfter is how long until the request would be allowed.
	RetryAfter time.Duration
}

// HealthStore shares the cooldowns of deployments (passive health): a
// deployment one replica saw fail is skipped by the others until its
// cooldown ends. Keys name a deployment the same way on every replica with
// the same configuration. An error means the store is unreachable; callers
// then go by what this process saw.
type HealthStore interface {
	// Cool puts deployment key in cooldown for d (a longer cooldown
	// already recorded may be shortened; the last failure decides).
	Cool(ctx context.Context, key string, d time.Duration) error
	// Cooling returns, for each key, how long its cooldown still lasts (0:
	// not cooling).
	Cooling(ctx context.Context, keys []string) ([]time.Duration, error)
}
