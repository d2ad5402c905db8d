package httpapi

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"
)

// errRequestTimeout is a body that did not arrive within the read timeout.
var errRequestTimeout = errors.New("request body not received in time (server.read_timeout_secs)")

// bodyDeadline gives a client Options.BodyReadTimeout to send its request
// body. http.Server's ReadTimeout cannot do this: it stays armed while the
// handler runs, and when it fires net/http cancels the request's context,
// cutting long workflows and streams. Here the deadline is set on the
// connection when the handler starts and lifted the moment the body is
// read to its end, so it bounds a trickling upload and nothing after it.
func (s *Server) bodyDeadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if s.opts.BodyReadTimeout <= 0 || req.Body == nil || req.Body == http.NoBody || req.ContentLength == 0 {
			return next(c)
		}
		rc := http.NewResponseController(c.Response())
		if rc.SetReadDeadline(time.Now().Add(s.opts.BodyReadTimeout)) != nil {
			return next(c) // a writer without deadlines (tests' recorders)
		}
		b := &deadlineBody{ReadCloser: req.Body, rc: rc}
		infoOf(c).body = b
		req.Body = b
		return next(c)
	}
}

// deadlineBody lifts the connection's read deadline at the body's end.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

// Read implements io.Reader.
func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// unread reports whether the request still has body bytes the handler did
// not read (an early 401 or 413, a timed-out upload).
func (ri *requestInfo) unread() bool { return ri.body != nil && !ri.body.done }

// closeIfUnread closes the connection after an error answer to a request
// whose body was not read. net/http would otherwise read up to 256 KiB of
// the rest (a trickling, perhaps unauthenticated upload) after the handler,
// even with Connection: close; an expired read deadline ends that at once.
func closeIfUnread(c echo.Context) {
	ri := infoOf(c)
	if !ri.unread() {
		return
	}
	c.Response().Header().Set(echo.HeaderConnection, "close")
	_ = ri.body.rc.SetReadDeadline(time.Now())
}

// isReadTimeout reports whether a body read failed on the read deadline.
func isReadTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }
