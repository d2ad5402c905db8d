package upstream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// maxBody bounds a non-streamed response body.
const maxBody = 32 << 20

// errTooLarge marks a body over maxBody.
var errTooLarge = errors.New("response body too large")

// ReadAll reads and closes a whole 2xx response body, logging it. Read
// failures become LLMErrors (timeout, canceled, or a cut body as
// bad_response).
func (e *Endpoint) ReadAll(ctx context.Context, resp *http.Response, attempts int, start time.Time) ([]byte, error) {
	defer resp.Body.Close()
	var buf bytes.Buffer
	if resp.ContentLength > 0 && resp.ContentLength <= maxBody {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, maxBody+1))
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, e.Classify(ctx, err, attempts)
	case err != nil:
		return nil, e.Fail(domain.LLMBadResponse, "reading response: "+err.Error(), attempts, err)
	case n > maxBody:
		return nil, e.Fail(domain.LLMBadResponse, errTooLarge.Error(), attempts, errTooLarge)
	}
	e.LogResponse(resp.StatusCode, time.Since(start), buf.Bytes())
	return buf.Bytes(), nil
}

// StreamReadError turns an error while reading a stream body into an
// LLMError: the context's end wins, anything else is a cut stream.
func (e *Endpoint) StreamReadError(ctx context.Context, err error, attempts int) *domain.LLMError {
	if ctx.Err() != nil {
		return e.Classify(ctx, err, attempts)
	}
	var lerr *domain.LLMError
	if errors.As(err, &lerr) {
		return lerr
	}
	return e.Fail(domain.LLMBadResponse, "stream ended early: "+err.Error(), attempts, err)
}
