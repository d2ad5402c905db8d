package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
)

// ErrShuttingDown is the cancel cause the server gives the contexts of the
// requests still running when the graceful drain deadline passes. A request
// canceled with it failed on the server's side, not the client's: it is
// answered 503 with Retry-After (a retry reaches another replica or the
// restarted process), and a stream that already started gets its protocol's
// error ending, never a clean finish or an empty 200.
var ErrShuttingDown = errors.New("the server is shutting down")

// shutdownRetryAfter is the Retry-After value (seconds) of that 503.
const shutdownRetryAfter = "2"

// shutdownError is the table row for a request cut by the shutdown.
var shutdownError = httpError{http.StatusServiceUnavailable, "server_error", "server_shutting_down",
	"the server is shutting down and stopped this request; retry it", false}

// cutByShutdown reports whether ctx was canceled by the drain deadline.
func cutByShutdown(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), ErrShuttingDown)
}

// classifyRequest is classify, except that any failure of a request the
// shutdown canceled is the shutdown's 503 (its error is only the
// cancellation it caused).
func classifyRequest(c echo.Context, err error) httpError {
	if cutByShutdown(c.Request().Context()) {
		c.Response().Header().Set("Retry-After", shutdownRetryAfter)
		return shutdownError
	}
	return classify(err)
}
