package bootstrap

import (
	"context"
	"net/http"
	"sync"
)

// activeRequests counts requests inside the handler so the forced part of a
// shutdown can wait for handlers to return after their contexts were
// canceled.
type activeRequests struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0
}

func newActiveRequests() *activeRequests {
	a := &activeRequests{idle: make(chan struct{})}
	close(a.idle)
	return a
}

func (a *activeRequests) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		if a.n == 0 {
			a.idle = make(chan struct{})
		}
		a.n++
		a.mu.Unlock()
		defer func() {
			a.mu.Lock()
			a.n--
			if a.n == 0 {
				close(a.idle)
			}
			a.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

// wait blocks until no request is in the handler or ctx ends.
func (a *activeRequests) wait(ctx context.Context) error {
	a.mu.Lock()
	idle := a.idle
	a.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
