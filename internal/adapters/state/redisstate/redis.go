// Package redisstate is the Redis backend of the shared-state ports, so
// every replica sees one answer cache, one budget per key and the same
// deployment cooldowns. Redis being down never fails a request: operations
// return an error quickly (short timeouts, no retries), callers treat it as
// a miss, apply their fail-open/closed rule or keep their own health view,
// and the error is logged at most once per interval.
package redisstate

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/ports"
)

// Key prefixes keep Chorus' keys apart from anything else in the database.
const (
	cachePrefix = "chorus:cache:"
	limitPrefix = "chorus:limit:"
)

// opTimeout bounds every Redis operation: a slow or dead Redis must cost a
// request milliseconds, not seconds.
const opTimeout = 250 * time.Millisecond

// logEvery is how often an unreachable Redis is logged.
const logEvery = 30 * time.Second

//go:embed gcra.lua
var gcraSource string

var gcraScript = redis.NewScript(gcraSource)

// Options configure the store.
type Options struct {
	// URL is redis://[user:password@]host:port/db, rediss:// or unix://.
	URL string
	// Logger receives the (rate-limited) unreachable-Redis warnings.
	Logger zerolog.Logger
	// OnError, when set, is called on every failed operation with its user
	// ("cache" or "limiter"), for metrics.
	OnError func(user string)
}

// Store is a Redis client implementing both ports.CacheStore and
// ports.Limiter.
type Store struct {
	rdb     *redis.Client
	log     zerolog.Logger
	onError func(string)

	mu     sync.Mutex
	logged time.Time
	// downUntil (unix nanoseconds) skips Redis for a moment after a
	// failure, so an outage costs requests nothing instead of a failed
	// dial each.
	downUntil atomic.Int64
}

// backoff is how long Redis is skipped after a failed operation.
const backoff = time.Second

// errSkipped is returned while Redis is skipped after a failure.
var errSkipped = errors.New("redis was unreachable a moment ago; skipped")

// skip reports whether Redis is being skipped after a recent failure.
func (s *Store) skip() bool { return time.Now().UnixNano() < s.downUntil.Load() }

var (
	_ ports.CacheStore = (*Store)(nil)
	_ ports.Limiter    = (*Store)(nil)
)

// New connects lazily: a Redis that is down at start-up is not an error,
// only a miss until it comes back.
func New(opts Options) (*Store, error) {
	o, err := redis.ParseURL(opts.URL)
	if err != nil {
		return nil, errors.New("redisstate: invalid redis_url") // the URL may hold a password
	}
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout = opTimeout, opTimeout, opTimeout, opTimeout
	o.MaxRetries = -1 // a retry would double the cost of a dead Redis
	o.DialerRetries, o.DialerRetryTimeout = 1, time.Millisecond
	o.DisableIdentity = true
	silenceOnce.Do(func() { redis.SetLogger(silent{}) })
	return &Store{rdb: redis.NewClient(o), log: opts.Logger, onError: opts.OnError}, nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.rdb.Close() }

// Get implements ports.CacheStore.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if s.skip() {
		return nil, false, errSkipped
	}
	v, err := s.rdb.Get(ctx, cachePrefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.failed(ctx, "cache", err)
	}
	return v, true, nil
}

// Set implements ports.CacheStore.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if s.skip() {
		return errSkipped
	}
	if err := s.rdb.Set(ctx, cachePrefix+key, value, ttl).Err(); err != nil {
		return s.failed(ctx, "cache", err)
	}
	return nil
}

// Take implements ports.Limiter with the GCRA script on Redis' own clock.
func (s *Store) Take(ctx context.Context, key string, perMinute, n int) (ports.LimitDecision, error) {
	if s.skip() {
		return ports.LimitDecision{}, errSkipped
	}
	res, err := gcraScript.Run(ctx, s.rdb, []string{limitPrefix + key}, perMinute, n, 0).Int64Slice()
	if err != nil || len(res) != 2 {
		return ports.LimitDecision{}, s.failed(ctx, "limiter", fmt.Errorf("gcra script: %w", err))
	}
	return ports.LimitDecision{Allowed: res[0] == 1, RetryAfter: time.Duration(res[1]) * time.Microsecond}, nil
}

// Charge implements ports.Limiter.
func (s *Store) Charge(ctx context.Context, key string, perMinute, n int) error {
	if s.skip() {
		return errSkipped
	}
	if err := gcraScript.Run(ctx, s.rdb, []string{limitPrefix + key}, perMinute, n, 1).Err(); err != nil {
		return s.failed(ctx, "limiter", fmt.Errorf("gcra script: %w", err))
	}
	return nil
}

// failed counts a failed operation and logs it at most once per logEvery.
func (s *Store) failed(ctx context.Context, user string, err error) error {
	if ctx.Err() != nil {
		return err // the request ended; Redis is not to blame
	}
	if s.onError != nil {
		s.onError(user)
	}
	now := time.Now()
	s.downUntil.Store(now.Add(backoff).UnixNano())
	s.mu.Lock()
	quiet := now.Sub(s.logged) < logEvery
	if !quiet {
		s.logged = now
	}
	s.mu.Unlock()
	if !quiet {
		s.log.Warn().Err(err).Str("user", user).Dur("next_log_in", logEvery).
			Msg("redis unreachable: serving without the shared cache, limits and deployment health until it is back")
	}
	return fmt.Errorf("redisstate %s: %w", user, err)
}

// silenceOnce installs silent as go-redis' logger: its pool messages would
// go to stderr on every failed dial; Store.failed logs instead.
var silenceOnce sync.Once

type silent struct{}

func (silent) Printf(context.Context, string, ...any) {}
