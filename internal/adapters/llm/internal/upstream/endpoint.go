package upstream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/domain"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// maxWaitWithoutDeadline bounds a Retry-After wait when the context has no deadline.
const maxWaitWithoutDeadline = 30 * time.Second

// dialBackoff is the pause before retrying a refused connection.
const dialBackoff = 100 * time.Millisecond

// Endpoint is one upstream URL called on behalf of one configured model.
type Endpoint struct {
	model  string
	url    string
	logURL string
	key    string
	opts   Options
	client *http.Client
	auth   []string // the Authorization value; nil without a key
}

// NewEndpoint returns an endpoint posting to rawURL for the model name.
func NewEndpoint(model, rawURL string, key domain.Secret, opts Options) *Endpoint {
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{Transport: NewTransport()}
	}
	e := &Endpoint{
		model:  model,
		url:    rawURL,
		logURL: safeURL(rawURL),
		key:    key.Reveal(),
		opts:   opts,
		client: client,
	}
	if e.key != "" {
		e.auth = []string{"Bearer " + e.key}
	}
	return e
}

// Model returns the configured model name.
func (e *Endpoint) Model() string { return e.model }

// Limits returns the stream limits with defaults filled in.
func (e *Endpoint) Limits() StreamLimits { return e.opts.Limits.WithDefaults() }

// Logger returns the debug logger.
func (e *Endpoint) Logger() *zerolog.Logger { return &e.opts.Logger }

// Post sends body and returns a 2xx response whose body the caller must
// close, with the number of attempts made. Refused connections and
// 429/503 answers with a Retry-After that fits the context deadline are
// retried up to the configured bound; every other failure is returned at
// once as a *domain.LLMError.
func (e *Endpoint) Post(ctx context.Context, body []byte, stream bool) (*http.Response, int, error) {
	e.logRequest(body, stream)
	maxRetries := e.opts.retries()
	for attempt := 1; ; attempt++ {
		start := time.Now()
		resp, err := e.send(ctx, body, stream)
		if err != nil {
			lerr := e.Classify(ctx, err, attempt)
			e.logFailure(attempt, time.Since(start), lerr)
			if lerr.Kind == domain.LLMConnection && isDialError(err) && attempt <= maxRetries &&
				fits(ctx, dialBackoff*time.Duration(attempt)) {
				if err := sleep(ctx, dialBackoff*time.Duration(attempt)); err != nil {
					return nil, attempt, e.Classify(ctx, err, attempt)
				}
				continue
			}
			return nil, attempt, lerr
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			e.logStatus(attempt, resp.StatusCode, time.Since(start))
			return resp, attempt, nil
		}
		lerr := e.statusError(ctx, resp, attempt, start)
		if lerr.Kind != domain.LLMStatus {
			return nil, attempt, lerr
		}
		wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		lerr.RetryAfter = wait
		retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable
		if !retryable || !ok || attempt > maxRetries || !fits(ctx, wait) {
			return nil, attempt, lerr
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, attempt, e.Classify(ctx, err, attempt)
		}
	}
}

// send performs one HTTP attempt.
func (e *Endpoint) send(ctx context.Context, body []byte, stream bool) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	e.setHeaders(req.Header, stream)
	return e.client.Do(req)
}

// Request header values, shared read-only by every request (the transport
// never modifies a request's header).
var (
	contentTypeJSON = []string{"application/json"}
	acceptJSON      = []string{"application/json"}
	acceptStream    = []string{"text/event-stream, application/x-ndjson, application/json"}
)

// setHeaders fills a request's header: canonical keys, shared values, so
// no field costs an allocation of its own.
func (e *Endpoint) setHeaders(h http.Header, stream bool) {
	h["Content-Type"] = contentTypeJSON
	h["Accept"] = acceptJSON
	if stream {
		h["Accept"] = acceptStream
	}
	if e.auth != nil {
		h["Authorization"] = e.auth
	}
}

// statusError reads a non-2xx answer into an LLMError.
func (e *Endpoint) statusError(ctx context.Context, resp *http.Response, attempt int, start time.Time) *domain.LLMError {
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil && ctx.Err() != nil {
		return e.Classify(ctx, err, attempt)
	}
	msg := e.scrub(ErrorMessage(data))
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	e.LogResponse(resp.StatusCode, time.Since(start), data)
	return &domain.LLMError{
		Model: e.model, Kind: domain.LLMStatus, Status: resp.StatusCode,
		Message: msg, Attempts: attempt,
	}
}

// Fail builds an LLMError of the given kind for this endpoint's model.
func (e *Endpoint) Fail(kind domain.LLMErrorKind, msg string, attempts int, cause error) *domain.LLMError {
	return &domain.LLMError{Model: e.model, Kind: kind, Message: e.scrub(msg), Attempts: attempts, Err: cause}
}

// Classify turns a transport or body-read error into an LLMError: the
// context decides canceled versus timeout first, then network timeouts,
// and everything else is a connection failure.
func (e *Endpoint) Classify(ctx context.Context, err error, attempts int) *domain.LLMError {
	var lerr *domain.LLMError
	if errors.As(err, &lerr) && ctx.Err() == nil {
		return lerr
	}
	kind, msg := classify(ctx, err)
	return &domain.LLMError{Model: e.model, Kind: kind, Message: e.scrub(msg), Attempts: attempts, Err: err}
}

// classify picks the kind and a message without the request URL.
func classify(ctx context.Context, err error) (domain.LLMErrorKind, string) {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return domain.LLMCanceled, "request canceled"
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return domain.LLMTimeout, "deadline exceeded"
	case errors.Is(err, context.Canceled):
		return domain.LLMCanceled, "request canceled"
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return domain.LLMTimeout, "network timeout"
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return domain.LLMConnection, err.Error()
}

// isDialError reports whether the request failed while connecting, before
// any byte of it was sent.
func isDialError(err error) bool {
	var operr *net.OpError
	return errors.As(err, &operr) && operr.Op == "dial"
}

// fits reports whether waiting d leaves the context deadline in the future.
func fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	if !ok {
		return d <= maxWaitWithoutDeadline
	}
	return d < time.Until(deadline)
}

// sleep waits d or until the context ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// scrub removes the API key from text that may echo it.
func (e *Endpoint) scrub(s string) string {
	if e.key == "" || !strings.Contains(s, e.key) {
		return s
	}
	return strings.ReplaceAll(s, e.key, "[REDACTED]")
}

// safeURL drops user info and query values from a URL for logs.
func safeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[unparseable url]"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "[REDACTED]"
	}
	return u.String()
}

// DrainClose discards a bounded remainder of body so the connection can be
// reused, then closes it.
func DrainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxErrorBody))
	_ = body.Close()
}
