// Package memory is the in-process backend of the shared-state ports: an
// expiring LRU answer cache (hashicorp/golang-lru/v2) and a GCRA limiter.
// State is per replica; use redisstate to share it.
package memory

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/chorus-ai/chorus/internal/adapters/state/internal/gcra"
	"github.com/chorus-ai/chorus/internal/ports"
)

var (
	_ ports.CacheStore = (*Cache)(nil)
	_ ports.Limiter    = (*Limiter)(nil)
)

// Cache is a bounded LRU whose entries expire after the cache's TTL.
type Cache struct {
	lru *expirable.LRU[string, []byte]
}

// NewCache holds at most maxEntries answers, each for ttl.
func NewCache(maxEntries int, ttl time.Duration) *Cache {
	return &Cache{lru: expirable.NewLRU[string, []byte](maxEntries, nil, ttl)}
}

// Get implements ports.CacheStore.
func (c *Cache) Get(_ context.Context, key string) ([]byte, bool, error) {
	v, ok := c.lru.Get(key)
	return v, ok, nil
}

// Set implements ports.CacheStore; every entry lives for the cache's TTL.
func (c *Cache) Set(_ context.Context, key string, value []byte, _ time.Duration) error {
	c.lru.Add(key, value)
	return nil
}

// Limiter keeps one theoretical arrival time per key. Keys are the
// configured API keys' budgets, so the map stays as small as the config.
type Limiter struct {
	now func() time.Time
	mu  sync.Mutex
	tat map[string]int64
}

// NewLimiter returns a limiter on clock now (nil: time.Now).
func NewLimiter(now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{now: now, tat: map[string]int64{}}
}

// Take implements ports.Limiter.
func (l *Limiter) Take(_ context.Context, key string, perMinute, n int) (ports.LimitDecision, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tat, ok, wait := gcra.Take(l.tat[key], l.now().UnixMicro(), perMinute, n)
	l.tat[key] = tat
	return ports.LimitDecision{Allowed: ok, RetryAfter: time.Duration(wait) * time.Microsecond}, nil
}

// Charge implements ports.Limiter.
func (l *Limiter) Charge(_ context.Context, key string, perMinute, n int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tat[key] = gcra.Charge(l.tat[key], l.now().UnixMicro(), perMinute, n)
	return nil
}
