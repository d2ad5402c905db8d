package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	ollamawire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// Adapter-level sentinels, mapped by the error table like the domain's.
var (
	errUnauthorized    = errors.New("missing or invalid API key")
	errPayloadTooLarge = errors.New("request body too large")
	errPanic           = errors.New("panic")
)

// bodyTooLargeError is a body over Options.MaxBodyBytes declared by its
// Content-Length (a body that only turns out too long while read is an
// *http.MaxBytesError, which carries the limit too).
type bodyTooLargeError struct{ limit int64 }

func (e *bodyTooLargeError) Error() string { return tooLargeMessage(e.limit) }

// Is makes errors.Is(err, errPayloadTooLarge) true.
func (e *bodyTooLargeError) Is(target error) bool { return target == errPayloadTooLarge }

// tooLargeMessage names the limit and the setting that raises it, so a
// client (or the operator reading the client's report) knows what to change.
func tooLargeMessage(limit int64) string {
	return fmt.Sprintf("request body too large: the limit is %d bytes; raise [server] max_body_bytes to accept larger requests", limit)
}

// statusClientClosed is logged (never sent) when the client went away.
const statusClientClosed = 499

// badRequestError is a body the adapter could not decode or that breaks a
// wire-format rule; Msg is safe to show.
type badRequestError struct {
	Msg string
	Err error
}

func (e *badRequestError) Error() string { return e.Msg }
func (e *badRequestError) Unwrap() error { return e.Err }

// httpError is one row of the table's outcome.
type httpError struct {
	status int
	typ    string
	code   string
	msg    string // shown to the client
	quiet  bool   // expected client-side condition: log at debug
}

// openAI renders the row as the OpenAI error object every /v1 error is
// rendered as (in a body or as an in-stream event); param stays null:
// Chorus never blames a single request parameter.
func (he httpError) openAI() openaiwire.ErrorBody {
	return openaiwire.ErrorBody{Error: openaiwire.Error{Message: he.msg, Type: he.typ, Code: he.code}}
}

// ollama renders the row as real Ollama's error, {"error":"<text>"}.
func (he httpError) ollama() ollamawire.Error {
	return ollamawire.Error{Error: he.msg}
}

// classify is THE error table: every error a handler returns is mapped here.
func classify(err error) httpError {
	var (
		tooBig *http.MaxBytesError
		over   *bodyTooLargeError
		bad    *badRequestError
		reqErr *domain.RequestError
		he     *echo.HTTPError
		rl     *rateLimitedError
	)
	switch {
	case errors.As(err, &over):
		return httpError{http.StatusRequestEntityTooLarge, "invalid_request_error", "payload_too_large", tooLargeMessage(over.limit), true}
	case errors.As(err, &tooBig):
		return httpError{http.StatusRequestEntityTooLarge, "invalid_request_error", "payload_too_large", tooLargeMessage(tooBig.Limit), true}
	case errors.Is(err, errPayloadTooLarge):
		return httpError{http.StatusRequestEntityTooLarge, "invalid_request_error", "payload_too_large", errPayloadTooLarge.Error(), true}
	case errors.As(err, &bad):
		return httpError{http.StatusBadRequest, "invalid_request_error", "invalid_request", bad.Msg, true}
	case errors.As(err, &reqErr):
		return httpError{http.StatusBadRequest, "invalid_request_error", "invalid_request", reqErr.Msg, true}
	case errors.Is(err, domain.ErrInvalidRequest):
		return httpError{http.StatusBadRequest, "invalid_request_error", "invalid_request", err.Error(), true}
	case errors.Is(err, errRequestTimeout):
		return httpError{http.StatusRequestTimeout, "invalid_request_error", "request_timeout", errRequestTimeout.Error(), true}
	case errors.As(err, &rl):
		return httpError{http.StatusTooManyRequests, "rate_limit_error", "rate_limit_exceeded", rl.Error(), true}
	case errors.Is(err, errUnsupportedMediaType):
		return httpError{http.StatusUnsupportedMediaType, "invalid_request_error", "unsupported_media_type", errUnsupportedMediaType.Error(), true}
	case errors.Is(err, errUnauthorized):
		return httpError{http.StatusUnauthorized, "authentication_error", "unauthorized", err.Error(), true}
	case errors.Is(err, domain.ErrUnknownModel):
		return httpError{http.StatusNotFound, "not_found_error", "not_found", err.Error(), true}
	case errors.Is(err, context.Canceled), errors.Is(err, domain.ErrCanceled):
		return httpError{status: statusClientClosed, quiet: true}
	case errors.Is(err, domain.ErrAllWorkersFailed):
		return httpError{http.StatusBadGateway, "upstream_error", "upstream_error", upstreamMessage(err), false}
	case errors.Is(err, domain.ErrStageTimeout), errors.Is(err, context.DeadlineExceeded):
		return httpError{http.StatusGatewayTimeout, "timeout_error", "timeout", upstreamMessage(err), false}
	case errors.Is(err, domain.ErrUpstream):
		return httpError{http.StatusBadGateway, "upstream_error", "upstream_error", upstreamMessage(err), false}
	case errors.As(err, &he):
		return classifyEcho(he)
	default:
		return httpError{http.StatusInternalServerError, "server_error", "internal_error", "internal server error", false}
	}
}

// classifyEcho maps Echo's own errors (routing, method) to table rows.
func classifyEcho(he *echo.HTTPError) httpError {
	switch he.Code {
	case http.StatusNotFound:
		return httpError{http.StatusNotFound, "not_found_error", "not_found", "route not found", true}
	case http.StatusMethodNotAllowed:
		return httpError{http.StatusMethodNotAllowed, "invalid_request_error", "method_not_allowed", "method not allowed", true}
	case http.StatusRequestEntityTooLarge:
		return httpError{http.StatusRequestEntityTooLarge, "invalid_request_error", "payload_too_large", errPayloadTooLarge.Error(), true}
	case http.StatusUnauthorized:
		return httpError{http.StatusUnauthorized, "authentication_error", "unauthorized", errUnauthorized.Error(), true}
	}
	if he.Code >= 400 && he.Code < 500 {
		return httpError{he.Code, "invalid_request_error", "invalid_request", http.StatusText(he.Code), true}
	}
	return httpError{http.StatusInternalServerError, "server_error", "internal_error", "internal server error", false}
}

// isOllamaRoute reports whether the request is on Ollama's API, whose
// errors are always {"error":"<text>"}: Ollama's SDKs, Open WebUI and curl
// users all read that field as a string.
func isOllamaRoute(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}

// handleError is the Echo HTTPErrorHandler: it logs once and renders the
// error object, or only logs when the response (a stream) already started.
func (s *Server) handleError(err error, c echo.Context) {
	ri := infoOf(c)
	he := classifyRequest(c, err)
	logger := zerolog.Ctx(c.Request().Context())
	level := zerolog.ErrorLevel
	switch {
	case he == shutdownError:
		level = zerolog.WarnLevel
	case he.quiet:
		level = zerolog.DebugLevel
	}
	logger.WithLevel(level).Err(err).Int("status", he.status).
		Str("workflow_id", ri.workflowID).Bool("stream_started", c.Response().Committed).
		Msg("request failed")
	if c.Response().Committed {
		return
	}
	closeIfUnread(c)
	if he.status == statusClientClosed {
		ri.status = statusClientClosed
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(he.status)
		return
	}
	var body any = he.openAI()
	if isOllamaRoute(c.Request()) {
		body = he.ollama()
	}
	if werr := c.JSON(he.status, body); werr != nil {
		logger.Debug().Err(werr).Msg("write error response")
	}
}
