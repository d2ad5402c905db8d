package config

import "time"

// ConnLimits bound what one client connection can hold, so slow or idle
// clients cannot keep sockets and file descriptors without end.
type ConnLimits struct {
	// ReadTimeout is the time a client has to send a request's headers,
	// and again its body (default 30 s). Streams are not affected: the
	// deadline is lifted once the body is read.
	ReadTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sends no next
	// request in time (default 60 s).
	IdleTimeout time.Duration
	// MaxConnections caps open client connections; further ones wait in
	// the kernel's accept queue (default 1024).
	MaxConnections int
}

// Defaults of [server] read_timeout_secs, idle_timeout_secs and
// max_connections; bootstrap applies them to hand-built Settings too.
const (
	DefaultReadTimeout    = 30 * time.Second
	DefaultIdleTimeout    = 60 * time.Second
	DefaultMaxConnections = 1024
	maxConnectionsLimit   = 1 << 20
)

// WithDefaults fills the zero fields with the defaults.
func (l ConnLimits) WithDefaults() ConnLimits {
	if l.ReadTimeout <= 0 {
		l.ReadTimeout = DefaultReadTimeout
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	if l.MaxConnections <= 0 {
		l.MaxConnections = DefaultMaxConnections
	}
	return l
}

// toConnLimits validates the three [server] keys.
func toConnLimits(s rawServer, ps *problems) ConnLimits {
	if s.ReadTimeoutSecs < 1 || s.ReadTimeoutSecs > maxTimeoutSecs {
		ps.addAt("server.read_timeout_secs", "server.read_timeout_secs must be a positive number of seconds (1..%d), got %d", maxTimeoutSecs, s.ReadTimeoutSecs)
	}
	if s.IdleTimeoutSecs < 1 || s.IdleTimeoutSecs > maxTimeoutSecs {
		ps.addAt("server.idle_timeout_secs", "server.idle_timeout_secs must be a positive number of seconds (1..%d), got %d", maxTimeoutSecs, s.IdleTimeoutSecs)
	}
	if s.MaxConnections < 1 || s.MaxConnections > maxConnectionsLimit {
		ps.addAt("server.max_connections", "server.max_connections must be between 1 and %d, got %d", maxConnectionsLimit, s.MaxConnections)
	}
	return ConnLimits{
		ReadTimeout:    time.Duration(s.ReadTimeoutSecs) * time.Second,
		IdleTimeout:    time.Duration(s.IdleTimeoutSecs) * time.Second,
		MaxConnections: s.MaxConnections,
	}
}
