package upstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Listener is a Server bound to a loopback port.
type Listener struct {
	*Server
	// URL is the base URL to use as a model's api_base ("http://127.0.0.1:P/v1").
	URL   string
	http  *http.Server
	done  chan error
	conns atomic.Int64
}

// Conns returns how many TCP connections clients have opened so far: a
// gateway that reuses its keep-alive connections opens few.
func (l *Listener) Conns() int64 { return l.conns.Load() }

// Listen serves a new Server with opts on 127.0.0.1 (a free port).
func Listen(opts Options) (*Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := New(opts)
	l := &Listener{
		Server: s,
		URL:    "http://" + ln.Addr().String() + "/v1",
		http:   &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute},
		done:   make(chan error, 1),
	}
	l.http.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			l.conns.Add(1)
		}
	}
	go func() { l.done <- l.http.Serve(ln) }()
	return l, nil
}

// Close stops the server, waiting up to the context's deadline for
// in-flight requests.
func (l *Listener) Close(ctx context.Context) error {
	if err := l.http.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown fake upstream: %w", err)
	}
	if err := <-l.done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve fake upstream: %w", err)
	}
	return nil
}
