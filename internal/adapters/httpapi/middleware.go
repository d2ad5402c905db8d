package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/chorus-ai/chorus/internal/domain"
)

// headerRequestID carries the request id in both directions.
const headerRequestID = "X-Request-ID"

// maxRequestIDLen bounds accepted client request ids.
const maxRequestIDLen = 128

// infoKey is the echo.Context key of the per-request *requestInfo.
const infoKey = "chorus.request"

// requestInfo collects what the access log line reports; handlers fill in
// the model and workflow id, the error handler the status of bodiless errors.
type requestInfo struct {
	id         string
	model      string
	workflowID string
	status     int           // set when no response was written (client gone: 499)
	body       *deadlineBody // the request body under a read deadline, if any
	tokens     int           // the answer's token usage, charged to the key's budget
}

// infoOf returns the request's info (never nil).
func infoOf(c echo.Context) *requestInfo {
	if ri, ok := c.Get(infoKey).(*requestInfo); ok {
		return ri
	}
	ri := &requestInfo{}
	c.Set(infoKey, ri)
	return ri
}

func (s *Server) middleware() {
	s.echo.Use(s.requestScope)
	s.echo.Use(closeChunked)
	s.echo.Use(s.bodyDeadline)
	s.echo.Use(s.recoverPanics)
	s.echo.Use(s.cors)
	s.echo.Use(s.authenticate)
	s.echo.Use(s.rateLimit)
	s.echo.Use(s.guardContentType)
	s.echo.Use(s.limitBody)
}

// requestScope assigns the request id, joins the client's W3C trace, puts a
// request-scoped logger in the context, and writes one access log line after
// the error handler ran.
func (s *Server) requestScope(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		ri := &requestInfo{id: sanitizeRequestID(req.Header.Get(headerRequestID))}
		if ri.id == "" {
			ri.id = randomID()
		}
		c.Set(infoKey, ri)
		c.Response().Header().Set(headerRequestID, ri.id)
		if s.opts.Version != "" {
			c.Response().Header().Set("X-Chorus-Version", s.opts.Version)
		}
		ctx := propagation.TraceContext{}.Extract(req.Context(), propagation.HeaderCarrier(req.Header))
		lc := s.opts.Logger.With().Str("request_id", ri.id)
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			lc = lc.Str("trace_id", sc.TraceID().String())
		}
		logger := lc.Logger()
		c.SetRequest(req.WithContext(logger.WithContext(ctx)))

		if err := next(c); err != nil {
			c.Error(err)
		}
		s.logAccess(c, ri, &logger, time.Since(start))
		return nil
	}
}

func (s *Server) logAccess(c echo.Context, ri *requestInfo, logger *zerolog.Logger, d time.Duration) {
	status := c.Response().Status
	if ri.status != 0 {
		status = ri.status
	}
	route := c.Path()
	if route == "" {
		route = "unmatched"
	}
	logger.Info().
		Str("method", c.Request().Method).
		Str("route", route).
		Int("status", status).
		Dur("duration", d).
		Str("model", ri.model).
		Str("workflow_id", ri.workflowID).
		Msg("request")
	if s.opts.ObserveRequest != nil {
		s.opts.ObserveRequest(route, c.Request().Method, status, d)
	}
}

// sanitizeRequestID keeps only characters safe in headers and logs.
func sanitizeRequestID(v string) string {
	var b strings.Builder
	for _, r := range v {
		if b.Len() >= maxRequestIDLen {
			break
		}
		if r < 128 && (r == '-' || r == '_' || r == '.' || r == ':' ||
			('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// recoverPanics turns a panic into an error (a logged 500) as the last guard.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if e, ok := r.(error); ok && errors.Is(e, http.ErrAbortHandler) {
					panic(r) // net/http's deliberate abort must reach the server
				}
				zerolog.Ctx(c.Request().Context()).Error().
					Str("panic", fmt.Sprint(r)).Msg("recovered panic")
				err = fmt.Errorf("%w: %v", errPanic, r)
			}
		}()
		return next(c)
	}
}

// limitBody rejects declared oversize bodies at once and caps the rest.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > s.opts.MaxBodyBytes {
			return &bodyTooLargeError{limit: s.opts.MaxBodyBytes}
		}
		if req.Body != nil {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, s.opts.MaxBodyBytes)
		}
		return next(c)
	}
}

// noteRequest records the requested model for the access log and logs a
// body-free summary of the decoded request at debug level (prompts and
// answers are never logged here).
func noteRequest(c echo.Context, req domain.ChatRequest) {
	infoOf(c).model = req.Model
	zerolog.Ctx(c.Request().Context()).Debug().
		Str("model", req.Model).Int("messages", len(req.Messages)).Int("tools", len(req.Params.Tools)).
		Bool("stream", req.Stream).Bool("include_workflow", req.IncludeWorkflow).Msg("decoded request")
}
