package bootstrap

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/chorus-ai/chorus/internal/adapters/httpapi"
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
		flushIfCut(w, r)
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

// flushIfCut pushes a request's buffered answer to the socket when the drain
// deadline canceled it. The count above drops as soon as the handler returns,
// before net/http flushes what the handler wrote, and the drain closes every
// connection right after: without this, a 503 written by a handler that was
// cut could be lost and the client would see EOF instead.
func flushIfCut(w http.ResponseWriter, r *http.Request) {
	if !errors.Is(context.Cause(r.Context()), httpapi.ErrShuttingDown) {
		return
	}
	// An error here means the client is gone; there is nobody left to answer.
	_ = http.NewResponseController(w).Flush()
}
