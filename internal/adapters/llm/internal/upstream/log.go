package upstream

import (
	"net/http"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// full reports whether whole bodies may be logged.
func (e *Endpoint) full() bool { return e.opts.LogBodies == LogBodiesFull }

// logRequest logs the outgoing request; the Authorization header never is.
func (e *Endpoint) logRequest(body []byte, stream bool) {
	ev := e.opts.Logger.Debug()
	if !ev.Enabled() {
		return
	}
	ev.Str("method", http.MethodPost).Str("url", e.logURL).Str("model", e.model).
		Bool("stream", stream).Str("body", Redact(body, e.full(), e.key)).Msg("upstream request")
}

// logStatus logs the status line of one attempt.
func (e *Endpoint) logStatus(attempt, status int, d time.Duration) {
	e.opts.Logger.Debug().Str("url", e.logURL).Str("model", e.model).Int("attempt", attempt).
		Int("status", status).Dur("duration", d).Msg("upstream response headers")
}

// logFailure logs a failed attempt.
func (e *Endpoint) logFailure(attempt int, d time.Duration, err *domain.LLMError) {
	e.opts.Logger.Debug().Str("url", e.logURL).Str("model", e.model).Int("attempt", attempt).
		Dur("duration", d).Str("kind", string(err.Kind)).Str("error", err.Message).Msg("upstream attempt failed")
}

// LogResponse logs a whole response body, redacted unless full bodies are on.
func (e *Endpoint) LogResponse(status int, d time.Duration, body []byte) {
	ev := e.opts.Logger.Debug()
	if !ev.Enabled() {
		return
	}
	ev.Str("url", e.logURL).Str("model", e.model).Int("status", status).Dur("duration", d).
		Str("body", Redact(body, e.full(), e.key)).Msg("upstream response")
}

// LogStreamData logs one raw stream payload, only when full bodies are on.
func (e *Endpoint) LogStreamData(data []byte) {
	if !e.full() {
		return
	}
	e.opts.Logger.Debug().Str("model", e.model).Str("data", Redact(data, true, e.key)).Msg("upstream stream data")
}

// LogStreamEnd logs a stream's summary.
func (e *Endpoint) LogStreamEnd(d time.Duration, events int, usage domain.Usage, err error) {
	ev := e.opts.Logger.Debug()
	if !ev.Enabled() {
		return
	}
	ev = ev.Str("url", e.logURL).Str("model", e.model).Dur("duration", d).Int("events", events).
		Int("input_tokens", usage.InputTokens).Int("output_tokens", usage.OutputTokens)
	if err != nil {
		ev = ev.Str("error", err.Error())
	}
	ev.Msg("upstream stream finished")
}
