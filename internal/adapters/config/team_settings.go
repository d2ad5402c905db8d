package config

import "time"

// Cache holds the [cache] section.
type Cache struct {
	// Enabled turns the exact-match answer cache on (off by default).
	Enabled bool
	// OptIn limits the cache to requests that ask for it per request
	// (X-Chorus-Cache: yes); by default every cacheable request uses it
	// unless it opts out.
	OptIn      bool
	TTL        time.Duration
	MaxEntries int
}

// State holds the [state] section: where shared state lives.
type State struct {
	// RedisURL, when set, shares the cache and the rate limits through
	// Redis; empty keeps them in this process. It may hold a password.
	RedisURL string
	// LimitsFailOpen lets requests through when the limiter's store is
	// unreachable (default true); false answers 429 instead.
	LimitsFailOpen bool
}
