// Package bootstrap wires Chorus' adapters and use cases together and runs
// the HTTP server; cmd/chorus and the black-box tests in test/ share it so the
// wiring cannot drift.
package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/net/netutil"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/adapters/httpapi"
)

// Server timeouts. There is deliberately no WriteTimeout nor ReadTimeout:
// both stay armed while a handler runs (a ReadTimeout firing cancels the
// request's context), so they would cut streams and long workflows, which
// the stage timeouts bound instead. The request body gets its own deadline
// in the HTTP adapter ([server] read_timeout_secs).
const (
	// readHeaderTimeout caps the time to send the request headers; a
	// shorter read_timeout_secs lowers it.
	readHeaderTimeout = 10 * time.Second
	// defaultShutdownTimeout applies when Settings.Server.ShutdownTimeout is 0.
	defaultShutdownTimeout = 30 * time.Second
	// forceCloseTimeout bounds the wait for handlers after their contexts
	// were canceled at the end of the drain.
	forceCloseTimeout = 5 * time.Second
)

// Options are what Serve needs from the command line.
type Options struct {
	Settings *config.Settings
	Logger   zerolog.Logger
	// Reload loads the configuration again (SIGHUP); nil disables hot reload.
	Reload func(ctx context.Context) (*config.Settings, error)
	// Version is the build version reported by /api/version metadata and logs.
	Version string
	// Getenv reads OTEL_* and CHORUS_LOG_BODIES (default os.Getenv).
	Getenv func(string) string
	// TracerProvider, when set, is used instead of one set up from the
	// environment (tests); the caller stops it.
	TracerProvider trace.TracerProvider
	// ReloadRequests triggers a reload like SIGHUP does (tests, file
	// watchers); nil means SIGHUP only.
	ReloadRequests <-chan struct{}
	// OnStart is called once the server accepts connections and is ready,
	// with the App and the actual listen address (tests).
	OnStart func(app *App, addr net.Addr)
	// AdminListener is the admin listener (/metrics, /debug/pprof) when the
	// caller opened it (tests); nil opens Settings.Server.AdminAddr, unless
	// that is empty (off). ServeListener closes it.
	AdminListener net.Listener
	// OnReload is called after each reload attempt with its error (nil when
	// the new configuration runs).
	OnReload func(err error)
}

// Serve listens on Settings.Server.Host:Port (port 0 picks a free port) and
// on the admin address, and runs the server until ctx is canceled, then
// drains gracefully.
func Serve(ctx context.Context, opts Options) error {
	if opts.Settings == nil {
		return errors.New("serve: nil settings")
	}
	ln, err := listen(ctx, opts.Settings.Server.Host, opts.Settings.Server.Port)
	if err != nil {
		return err
	}
	return ServeListener(ctx, ln, opts)
}

// ServeListener is Serve on a listener the caller opened; it closes ln. It
// opens the admin listener itself (see Options.AdminListener): a taken admin
// address fails the start, before anything is built.
//
// Shutdown order (when ctx is canceled): mark not ready, stop accepting and
// let in-flight requests and streams finish up to
// Settings.Server.ShutdownTimeout, then cancel the request contexts that are
// still running, then stop the admin listener and flush the tracer provider.
func ServeListener(ctx context.Context, ln net.Listener, opts Options) error {
	if opts.Settings == nil {
		_ = ln.Close()
		return errors.New("serve: nil settings")
	}
	log := opts.Logger
	adminLn, err := openAdmin(ctx, opts)
	if err != nil {
		_ = ln.Close()
		return err
	}
	app, err := Build(ctx, opts.Settings, Deps{Logger: log, TracerProvider: opts.TracerProvider, Version: opts.Version, Getenv: opts.Getenv})
	if err != nil {
		_ = ln.Close()
		if adminLn != nil {
			_ = adminLn.Close()
		}
		return err
	}
	// Request contexts derive from baseCtx, which outlives ctx so a drain can
	// finish; it is canceled when the drain deadline passes.
	baseCtx, cancelCause := context.WithCancelCause(context.WithoutCancel(ctx))
	cancelRequests := func() { cancelCause(httpapi.ErrShuttingDown) }
	defer cancelRequests()
	active := newActiveRequests()
	limits := opts.Settings.Server.Conn.WithDefaults()
	// Connections past the cap wait in the kernel's accept queue, so idle
	// keep-alives and tricklers cannot exhaust the process' descriptors.
	ln = netutil.LimitListener(ln, limits.MaxConnections)
	srv := &http.Server{
		Handler:           active.wrap(app.Handler()),
		ReadHeaderTimeout: min(readHeaderTimeout, limits.ReadTimeout),
		IdleTimeout:       limits.IdleTimeout,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
		ErrorLog:          newStdLogger(log),
	}
	serverErr := make(chan error, 1)
	go func() { serverErr <- srv.Serve(ln) }()
	hup := make(chan os.Signal, 1)
	if opts.Reload != nil {
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
	}
	admin := startAdmin(adminLn, app.AdminHandler(), opts.Settings.Server.Pprof, log)
	app.SetReady(true)
	log.Info().Str("addr", ln.Addr().String()).Str("version", opts.Version).
		Msgf("Chorus server listening on http://%s", ln.Addr())
	if opts.OnStart != nil {
		opts.OnStart(app, ln.Addr())
	}
	for {
		select {
		case err := <-serverErr:
			cancelRequests()
			admin.close()
			_ = app.Shutdown(context.WithoutCancel(ctx))
			return fmt.Errorf("serve: %w", err)
		case err := <-admin.failed():
			cancelRequests()
			_ = srv.Close()
			_ = app.Shutdown(context.WithoutCancel(ctx))
			return fmt.Errorf("serve: admin listener: %w", err)
		case <-hup:
			reload(ctx, app, opts)
		case <-opts.ReloadRequests:
			reload(ctx, app, opts)
		case <-ctx.Done():
			return drain(ctx, app, servers{public: srv, admin: admin}, active, cancelRequests, opts)
		}
	}
}

// reload loads the configuration again and swaps it in; on any failure the
// running configuration stays and the error is logged.
func reload(ctx context.Context, app *App, opts Options) {
	err := func() error {
		if opts.Reload == nil {
			return errors.New("hot reload is not enabled")
		}
		s, err := opts.Reload(ctx)
		if err != nil {
			return fmt.Errorf("reload rejected, keeping the running configuration: %w", err)
		}
		return app.Reload(s)
	}()
	if err != nil {
		opts.Logger.Error().Err(err).Msg("config reload failed")
	} else {
		src := app.Settings().Path
		if src == "" {
			src = "embedded demo config"
		}
		opts.Logger.Info().Str("config", src).Msg("config reloaded")
	}
	if opts.OnReload != nil {
		opts.OnReload(err)
	}
}

// servers are the listeners drain stops: the public one, then the admin one.
type servers struct {
	public *http.Server
	admin  *adminServer
}

// drain runs the graceful shutdown; every step runs even if an earlier one
// failed, and the failures are logged and returned together.
func drain(ctx context.Context, app *App, s servers, active *activeRequests, cancelRequests context.CancelFunc, opts Options) error {
	srv := s.public
	log := opts.Logger
	timeout := opts.Settings.Server.ShutdownTimeout
	if timeout <= 0 {
		timeout = defaultShutdownTimeout
	}
	log.Info().Dur("timeout", timeout).Msg("shutting down: draining in-flight requests")
	app.StartDrain()
	bg := context.WithoutCancel(ctx)
	var errs []error
	shutdownCtx, cancel := context.WithTimeout(bg, timeout)
	err := srv.Shutdown(shutdownCtx)
	cancel()
	if err != nil {
		log.Warn().Err(err).Msg("drain deadline passed: canceling the requests still running")
		cancelRequests()
		// Handlers see their contexts canceled and return; give them a
		// moment to write their error before the connections are cut.
		forceCtx, cancelForce := context.WithTimeout(bg, forceCloseTimeout)
		if err := active.wait(forceCtx); err != nil {
			errs = append(errs, fmt.Errorf("serve: handlers still running after cancel: %w", err))
		}
		cancelForce()
		// A returned handler's connection still has net/http's tail to write
		// (the buffered answer, a stream's last chunk); a second Shutdown
		// waits for those to go idle, Close only cuts what still hangs.
		closeCtx, cancelClose := context.WithTimeout(bg, forceCloseTimeout)
		if err := srv.Shutdown(closeCtx); err != nil {
			_ = srv.Close()
		}
		cancelClose()
	}
	cancelRequests()
	s.admin.shutdown(bg)
	tctx, cancelT := context.WithTimeout(bg, forceCloseTimeout)
	if err := app.Shutdown(tctx); err != nil {
		log.Error().Err(err).Msg("tracer shutdown")
		errs = append(errs, err)
	}
	cancelT()
	log.Info().Msg("shutdown complete")
	return errors.Join(errs...)
}
