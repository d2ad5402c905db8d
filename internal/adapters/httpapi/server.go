package httpapi

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// DefaultMaxBodyBytes is the request body limit used when Options.MaxBodyBytes is 0.
const DefaultMaxBodyBytes int64 = 10 << 20

// ollamaVersion is what /api/version reports: clients such as VS Code Copilot
// require a numeric Ollama version of at least 0.6.4.
const ollamaVersion = "0.12.6"

// Options configure the HTTP adapter.
type Options struct {
	// Gateway answers chat requests; required.
	Gateway ports.Gateway
	// Logger is the base logger; a request-scoped child goes into each request's context.
	Logger zerolog.Logger
	// APIKeys enables bearer auth on every route but /healthz and /readyz when non-empty.
	APIKeys []domain.Secret
	// MaxBodyBytes limits request bodies (0 → DefaultMaxBodyBytes); larger bodies get 413.
	MaxBodyBytes int64
	// Ready reports readiness for /readyz (nil → always ready); false while draining.
	Ready func() bool
	// ObserveRequest, when set, is called once per request with its route
	// pattern, method, final status and duration.
	ObserveRequest func(route, method string, status int, d time.Duration)
	// Version is Chorus' own version, sent in the X-Chorus-Version header.
	Version string
	// CORSOrigins are the browser origins allowed to call Chorus ("*":
	// any); empty allows none, and POSTs a page of another origin could
	// send without a preflight are refused (see guardContentType).
	CORSOrigins []string
	// UI is the playground, served at /ui and under /ui/ without
	// authentication (static files only; the API calls the page makes are
	// authenticated as any other); nil answers 404.
	UI http.Handler
	// BodyReadTimeout bounds reading a request body (0: no bound); a
	// slower client gets 408 and its connection is closed.
	BodyReadTimeout time.Duration
	// Cache tells the adapter the gateway caches answers: requests then
	// carry the client's cache wishes and answers an X-Chorus-Cache header.
	Cache bool
	// CacheOptIn limits the cache to requests that ask for it with
	// X-Chorus-Cache: yes.
	CacheOptIn bool
	// Limits are the per-key rate limits (with Limiter); none: no limits.
	Limits Limits
}

// Server is the configured Echo application.
type Server struct {
	opts Options
	echo *echo.Echo
	ids  *idGenerator
	now  func() time.Time
	// budgets maps a limited key to its budgets; nil without limits.
	budgets map[string]keyBudget
}

// New builds the server and registers every route.
func New(opts Options) (*Server, error) {
	if opts.Gateway == nil {
		return nil, errors.New("httpapi: nil gateway")
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Ready == nil {
		opts.Ready = func() bool { return true }
	}
	ids, err := newIDGenerator()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, echo: echo.New(), ids: ids, now: time.Now, budgets: budgetsOf(opts.Limits)}
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.HTTPErrorHandler = s.handleError
	s.echo.Logger.SetOutput(io.Discard) // Chorus logs through zerolog
	s.middleware()
	s.routes()
	return s, nil
}

// Handler returns the Echo instance as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }
