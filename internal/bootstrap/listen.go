package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
)

// AddrInUseError is a listen address another process already holds (often
// a Chorus started earlier, or the demo still running); Suggest is a port
// that was free a moment ago on the same host.
type AddrInUseError struct {
	Addr    string
	Suggest int
	Err     error
	// Admin is true for the admin listener ([server] admin_addr).
	Admin bool
}

// Error implements error with a hint the user can act on at once.
func (e *AddrInUseError) Error() string {
	msg := fmt.Sprintf("listen on %s: address already in use (another process, perhaps another chorus, holds it)", e.Addr)
	if e.Admin {
		msg = "admin listener ([server] admin_addr): " + msg
		host, _, _ := net.SplitHostPort(e.Addr)
		if e.Suggest > 0 {
			free := net.JoinHostPort(host, strconv.Itoa(e.Suggest))
			msg += fmt.Sprintf(": try --admin-addr %s (or CHORUS_ADMIN_ADDR=%s)", free, free)
		}
		return msg + ", or --admin-addr off to run without /metrics"
	}
	if e.Suggest > 0 {
		msg += fmt.Sprintf(": try --port %d (or CHORUS_PORT=%d)", e.Suggest, e.Suggest)
	}
	return msg
}

// Unwrap returns the listen error.
func (e *AddrInUseError) Unwrap() error { return e.Err }

// listen opens host:port, turning "address already in use" into an
// *AddrInUseError that suggests a free port.
func listen(ctx context.Context, host string, port int) (net.Listener, error) {
	return listenAddr(ctx, net.JoinHostPort(host, strconv.Itoa(port)), false)
}

// listenAddr opens addr (host:port) for the public (admin false) or the
// admin listener.
func listenAddr(ctx context.Context, addr string, admin bool) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, _, _ := net.SplitHostPort(addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, &AddrInUseError{Addr: addr, Suggest: freePort(ctx, host), Err: err, Admin: admin}
	}
	what := "listen"
	if admin {
		what = "admin listener: listen"
	}
	return nil, fmt.Errorf("serve: %s on %s: %w", what, addr, err)
}

// freePort asks the system for a free port on host (0 if it cannot).
func freePort(ctx context.Context, host string) int {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0
	}
	defer func() { _ = ln.Close() }()
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}
