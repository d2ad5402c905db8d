package upstream

import (
	"net/http"

	"github.com/rs/zerolog"
)

// DefaultMaxRetries is used when Options.MaxRetries is zero.
const DefaultMaxRetries = 2

// LogBodiesFull is the Options.LogBodies value that logs whole bodies.
const LogBodiesFull = "full"

// Options configure an upstream client.
type Options struct {
	// HTTPClient sends the requests; it must not set a client-wide Timeout
	// (deadlines come from the caller's context). Nil uses a private
	// keep-alive client.
	HTTPClient *http.Client
	// Logger receives debug logs of requests and responses.
	Logger zerolog.Logger
	// LogBodies is "" for truncated, redacted bodies or "full" for whole
	// bodies (the API key is never logged).
	LogBodies string
	// MaxRetries bounds the retries of safe failures: 0 means
	// DefaultMaxRetries, a negative value disables retries.
	MaxRetries int
	// Limits bound each streamed answer (zero fields: the defaults).
	Limits StreamLimits
}

// retries returns the effective retry bound.
func (o Options) retries() int {
	switch {
	case o.MaxRetries < 0:
		return 0
	case o.MaxRetries == 0:
		return DefaultMaxRetries
	default:
		return o.MaxRetries
	}
}
