package bootstrap

import (
	"context"
	"net"
	"net/http"

	"github.com/rs/zerolog"
	"golang.org/x/net/netutil"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// adminMaxConnections caps the admin listener's connections: a scraper, a
// probe and an operator's profile need a handful, and the cap keeps a
// misbehaving scraper from holding descriptors the public port needs.
const adminMaxConnections = 64

// adminServer is the admin listener ([server] admin_addr): /metrics, the
// probes and /debug/pprof, apart from the public port. A nil *adminServer
// is the listener turned off; its methods do nothing.
type adminServer struct {
	srv  *http.Server
	errc chan error
	log  zerolog.Logger
}

// openAdmin returns the admin listener: opts.AdminListener when the caller
// opened one, else a new one on Settings.Server.AdminAddr, nil when that is
// empty (off). A taken address is an *AddrInUseError with a hint.
func openAdmin(ctx context.Context, opts Options) (net.Listener, error) {
	if opts.AdminListener != nil {
		return opts.AdminListener, nil
	}
	if opts.Settings.Server.AdminAddr == "" {
		return nil, nil // off: no listener, and no error
	}
	return listenAddr(ctx, opts.Settings.Server.AdminAddr, true)
}

// startAdmin serves h on ln and logs where; a nil ln logs that the admin
// listener is off and returns nil.
func startAdmin(ln net.Listener, h http.Handler, pprof bool, log zerolog.Logger) *adminServer {
	if ln == nil {
		log.Info().Msg("admin listener off ([server] admin_addr is empty): no /metrics, no /debug/pprof")
		return nil
	}
	a := &adminServer{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: readHeaderTimeout,
			IdleTimeout:       config.DefaultIdleTimeout,
			ErrorLog:          newStdLogger(log),
		},
		errc: make(chan error, 1),
		log:  log,
	}
	go func() { a.errc <- a.srv.Serve(netutil.LimitListener(ln, adminMaxConnections)) }()
	log.Info().Str("admin_addr", ln.Addr().String()).Bool("pprof", pprof).
		Msgf("admin listener (/metrics, /healthz, /readyz, /debug/pprof/ when pprof is on) on http://%s", ln.Addr())
	return a
}

// failed delivers the error of an admin server that stopped serving; nil
// (never ready) when the listener is off.
func (a *adminServer) failed() <-chan error {
	if a == nil {
		return nil
	}
	return a.errc
}

// shutdown stops the admin listener. It runs after the public drain, so
// scrapes and profiles keep working while requests drain and the last
// scrape counts them; then idle connections close at once and a profile
// still being taken gets forceCloseTimeout before it is cut (logged, not
// an error of the service).
func (a *adminServer) shutdown(ctx context.Context) {
	if a == nil {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, forceCloseTimeout)
	defer cancel()
	if err := a.srv.Shutdown(sctx); err != nil {
		a.log.Warn().Err(err).Msg("admin listener: cutting requests still running at shutdown")
		_ = a.srv.Close()
	}
}

// close stops the admin listener at once (the public server failed).
func (a *adminServer) close() {
	if a != nil {
		_ = a.srv.Close()
	}
}
