package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/trace"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/adapters/httpapi"
	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/adapters/telemetry"
	"github.com/chorus-ai/chorus/internal/adapters/ui"
	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/ports"
)

// Deps are the process-level dependencies Build does not derive from the
// configuration. The zero value is usable: tracing is then set up from the
// OTEL_* environment and logs are discarded.
type Deps struct {
	Logger zerolog.Logger
	// TracerProvider receives the spans; nil sets one up from the
	// environment with telemetry.SetupTracing (and App.Shutdown flushes it).
	TracerProvider trace.TracerProvider
	// Getenv reads the environment (default os.Getenv): OTEL_*, CHORUS_LOG_BODIES.
	Getenv func(string) string
	// Version is the build version reported in headers and telemetry.
	Version string
}

// App is the wired service: the HTTP handler in front of a generation of
// (settings, model registry, workflow service) that Reload replaces
// atomically. Requests already running keep the generation they started on.
type App struct {
	deps       Deps
	log        zerolog.Logger
	tp         trace.TracerProvider
	tpShutdown func(context.Context) error
	metrics    *telemetry.Metrics
	state      *sharedState
	current    atomic.Pointer[generation]
	ready      atomic.Bool
	reloadMu   sync.Mutex
	retired    retiredSet // replaced generations with requests still running
	drainOnce  sync.Once
	draining   chan struct{}
	handler    http.Handler
	admin      http.Handler
}

// Build wires Chorus for settings: tracing, metrics, the upstream model
// registry, the workflow service and the HTTP adapter. cmd/chorus (through
// Serve) and the black-box tests share it, so the wiring cannot drift.
func Build(ctx context.Context, settings *config.Settings, deps Deps) (*App, error) {
	if settings == nil {
		return nil, errors.New("bootstrap: nil settings")
	}
	if deps.Getenv == nil {
		deps.Getenv = os.Getenv
	}
	a := &App{deps: deps, log: deps.Logger, tp: deps.TracerProvider, draining: make(chan struct{})}
	if a.tp == nil {
		telemetry.LogOTelErrors(a.log)
		tp, shutdown, err := telemetry.SetupTracing(ctx, deps.Getenv, deps.Version)
		if err != nil {
			return nil, fmt.Errorf("bootstrap: tracing: %w", err)
		}
		a.tp, a.tpShutdown = tp, shutdown
		a.log.Info().Str("traces", telemetry.TracingTarget(deps.Getenv)).Msg("tracing")
	}
	a.metrics = telemetry.NewMetrics()
	st, err := newSharedState(settings, a.log, a.metrics)
	if err != nil {
		a.shutdownTracing(ctx)
		return nil, err
	}
	a.state = st
	gen, err := a.build(settings)
	if err != nil {
		a.shutdownTracing(ctx)
		return nil, err
	}
	a.current.Store(gen)
	// The admin handler is not per generation: metrics outlive reloads, and
	// pprof and admin_addr take effect on restart.
	a.admin = httpapi.NewAdmin(httpapi.AdminOptions{Metrics: a.metrics.Handler(), Pprof: settings.Server.Pprof, Ready: a.Ready})
	a.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gen := a.current.Load()
		gen.enter()
		defer func() {
			if gen.leave() {
				a.retired.drop(gen)
			}
		}()
		gen.http.ServeHTTP(w, r)
	})
	return a, nil
}

// build makes one generation; it touches no shared state, so a failure
// leaves the running generation untouched.
func (a *App) build(s *config.Settings) (*generation, error) {
	registry, err := llm.NewRegistry(s.Models, llm.Options{
		Logger:         a.log,
		LogBodies:      a.deps.Getenv("CHORUS_LOG_BODIES"),
		Wrap:           a.metrics.WrapModel,
		Health:         s.Health,
		HealthStore:    a.state.health,
		ObserveAttempt: a.metrics.ObserveAttempt,
		Limits: llm.StreamLimits{
			MaxEventBytes:  s.Upstream.MaxEventBytes,
			MaxAnswerBytes: s.Upstream.MaxAnswerBytes,
			MaxStreamBytes: s.Upstream.MaxStreamBytes,
			MaxStreamTime:  s.Upstream.MaxStreamTime,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("bootstrap: upstream models: %w", err)
	}
	svc, err := app.NewService(app.Deps{
		Workflow:          s.Workflow,
		Models:            registry,
		TracerProvider:    a.tp,
		KeepAliveInterval: s.Server.KeepAliveInterval,
		Logger:            a.log,
	})
	if err != nil {
		return nil, fmt.Errorf("bootstrap: workflow service: %w", err)
	}
	srv, err := httpapi.New(httpapi.Options{
		Gateway:    a.gateway(s, svc),
		Cache:      a.state.cache != nil,
		CacheOptIn: s.Cache.OptIn,
		Limits: httpapi.Limits{
			Limiter: a.state.limiter, Keys: s.Server.KeyLimits,
			FailOpen: s.State.LimitsFailOpen, Observe: a.metrics.ObserveLimited,
		},
		Logger:          a.log,
		APIKeys:         s.Server.APIKeys,
		MaxBodyBytes:    s.Server.MaxBodyBytes,
		Ready:           a.Ready,
		ObserveRequest:  a.metrics.ObserveRequest,
		Version:         a.deps.Version,
		BodyReadTimeout: s.Server.Conn.WithDefaults().ReadTimeout,
		CORSOrigins:     s.Server.CORSOrigins,
		UI:              playground(s.Server.UI),
	})
	if err != nil {
		return nil, fmt.Errorf("bootstrap: http adapter: %w", err)
	}
	return &generation{settings: s, registry: registry, http: srv.Handler()}, nil
}

// Handler serves every route with the current generation.
func (a *App) Handler() http.Handler { return a.handler }

// AdminHandler serves the admin listener: /metrics, the probes and, with
// [server] pprof, /debug/pprof/.
func (a *App) AdminHandler() http.Handler { return a.admin }

// Settings returns the configuration new requests are served with.
func (a *App) Settings() *config.Settings { return a.current.Load().settings }

// Reload builds a new generation from settings and swaps it in for new
// requests; requests in flight finish on the old one. When the new
// configuration cannot be built the old one stays and the error is returned.
// Listen address and shutdown settings only take effect on restart.
func (a *App) Reload(settings *config.Settings) error {
	if settings == nil {
		return errors.New("bootstrap: reload: nil settings")
	}
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()
	gen, err := a.build(settings)
	if err != nil {
		return fmt.Errorf("reload rejected, keeping the running configuration: %w", err)
	}
	old := a.current.Swap(gen)
	// Requests still running on old keep it (and their connections) until
	// the last of them returns; an idle one goes now.
	a.retired.add(old)
	if old.retire() {
		a.retired.drop(old)
	}
	if o, n := old.settings.Server, settings.Server; o.Host != n.Host || o.Port != n.Port || o.AdminAddr != n.AdminAddr || o.Pprof != n.Pprof {
		a.log.Warn().Msg("config reload: [server] host, port, admin_addr and pprof changes take effect on restart")
	}
	if stateConfigOf(settings) != a.state.of {
		a.log.Warn().Msg("config reload: [state], [cache] and turning rate limits on or off take effect on restart")
	}
	return nil
}

// SetReady sets what /readyz reports.
func (a *App) SetReady(ready bool) { a.ready.Store(ready) }

// Ready reports readiness: built and not draining.
func (a *App) Ready() bool { return a.ready.Load() }

// StartDrain marks the app not ready for good and closes Draining.
func (a *App) StartDrain() {
	a.SetReady(false)
	a.drainOnce.Do(func() { close(a.draining) })
}

// Draining is closed once a graceful shutdown has begun.
func (a *App) Draining() <-chan struct{} { return a.draining }

// Shutdown marks the app draining, closes idle upstream connections and
// flushes and stops the tracer provider Build set up (a provider passed in
// Deps is the caller's to stop). Call it after the HTTP server stopped.
func (a *App) Shutdown(ctx context.Context) error {
	a.StartDrain()
	a.retired.closeIdle()
	a.current.Load().registry.CloseIdleConnections()
	if err := a.state.close(); err != nil {
		a.log.Warn().Err(err).Msg("closing the state store")
	}
	if a.tpShutdown == nil {
		return nil
	}
	if err := a.tpShutdown(ctx); err != nil {
		return fmt.Errorf("bootstrap: tracer shutdown: %w", err)
	}
	return nil
}

func (a *App) shutdownTracing(ctx context.Context) {
	if a.tpShutdown != nil {
		if err := a.tpShutdown(ctx); err != nil {
			a.log.Error().Err(err).Msg("tracer shutdown")
		}
	}
}

// gateway is the use case the HTTP adapter calls: the service with its
// metrics, behind the answer cache when that is on.
func (a *App) gateway(s *config.Settings, svc *app.Service) ports.Gateway {
	g := a.metrics.WrapGateway(svc)
	if a.state.cache == nil {
		return g
	}
	return app.NewCachedGateway(g, app.CacheOptions{Store: a.state.cache, TTL: s.Cache.TTL, Observe: a.metrics.ObserveCache})
}

// playground is the /ui page when [server] ui is on (the default).
func playground(on bool) http.Handler {
	if !on {
		return nil
	}
	return ui.Handler()
}
