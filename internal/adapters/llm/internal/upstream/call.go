package upstream

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Decoder parses a whole non-streamed answer. Its error lacks the model
// name and attempt count, which Endpoint.Decode fills in; the completion
// must hold copies only (the bytes are recycled afterwards).
type Decoder func(body []byte) (domain.Completion, *domain.LLMError)

// ModelFor returns the upstream model name for a call: the call's own
// model when it names one, else the configured name.
func (e *Endpoint) ModelFor(call domain.ModelCall) string {
	if call.Model != "" {
		return call.Model
	}
	return e.model
}

// EncodeError is the error for a request body that could not be encoded.
func (e *Endpoint) EncodeError(err error) *domain.LLMError {
	return e.Fail(domain.LLMBadResponse, "encoding request: "+err.Error(), 0, err)
}

// Complete posts a non-stream request body and decodes the answer.
func (e *Endpoint) Complete(ctx context.Context, body []byte, decode Decoder) (domain.Completion, error) {
	start := time.Now()
	resp, attempts, err := e.Post(ctx, body, false) //nolint:bodyclose // Decode closes the body
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	return e.Decode(ctx, resp, attempts, start, decode)
}

// Decode reads a whole 2xx response, decodes it, recycles the buffer and
// gives a decoder error the model name and attempt count.
func (e *Endpoint) Decode(ctx context.Context, resp *http.Response, attempts int, start time.Time,
	decode Decoder) (domain.Completion, error) {
	data, err := e.ReadAll(ctx, resp, attempts, start)
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	comp, lerr := decode(data.Bytes())
	data.Release() // the completion holds copies only
	if lerr != nil {
		return domain.Completion{Attempts: attempts}, e.Adopt(lerr, attempts)
	}
	comp.Attempts = attempts
	return comp, nil
}

// EmitError wraps an error returned by the caller's emit so it is passed
// back untouched.
type EmitError struct{ Err error }

// Error implements error.
func (e EmitError) Error() string { return e.Err.Error() }

// EndStream finishes a relayed stream: the body is drained for reuse after
// a clean finish and closed at once after a failure, the end is logged, and
// a failure is mapped (emit's own error passes through, decoder errors get
// the model name, read errors are classified).
func (e *Endpoint) EndStream(ctx context.Context, body io.ReadCloser, start time.Time, events int,
	comp domain.Completion, err error) (domain.Completion, error) {
	if err == nil {
		DrainClose(body)
	} else {
		_ = body.Close()
	}
	e.LogStreamEnd(time.Since(start), events, comp.Usage, err)
	if err == nil {
		return comp, nil
	}
	attempts := comp.Attempts
	var ee EmitError
	if errors.As(err, &ee) {
		return domain.Completion{Attempts: attempts}, ee.Err
	}
	var lerr *domain.LLMError
	if errors.As(err, &lerr) && ctx.Err() == nil {
		return domain.Completion{Attempts: attempts}, e.Adopt(lerr, attempts)
	}
	return domain.Completion{Attempts: attempts}, e.StreamReadError(ctx, err, attempts)
}
