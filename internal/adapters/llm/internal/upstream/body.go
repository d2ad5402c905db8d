package upstream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// maxBody bounds a non-streamed response body.
const maxBody = 32 << 20

// errTooLarge marks a body over maxBody.
var errTooLarge = errors.New("response body too large")

// Body is a whole response body read by ReadAll, in a recycled buffer.
type Body struct{ buf bytes.Buffer }

// maxPooledBody is the largest body buffer kept for reuse.
const maxPooledBody = 1 << 20

// bodyPool recycles response body buffers across calls.
var bodyPool = sync.Pool{New: func() any { return new(Body) }}

// Bytes returns the body; valid until Release.
func (b *Body) Bytes() []byte { return b.buf.Bytes() }

// Release recycles the buffer. Nothing may refer to the bytes of Bytes
// afterwards (decoders copy what they keep into strings).
func (b *Body) Release() {
	if b.buf.Cap() > maxPooledBody {
		return
	}
	b.buf.Reset()
	bodyPool.Put(b)
}

// ReadAll reads and closes a whole 2xx response body, logging it, into a
// recycled buffer the caller releases once decoded. Read failures become
// LLMErrors (timeout, canceled, or a cut body as bad_response).
func (e *Endpoint) ReadAll(ctx context.Context, resp *http.Response, attempts int, start time.Time) (*Body, error) {
	defer resp.Body.Close()
	b, _ := bodyPool.Get().(*Body)
	if resp.ContentLength > 0 && resp.ContentLength <= maxBody {
		b.buf.Grow(int(resp.ContentLength))
	}
	n, err := b.buf.ReadFrom(io.LimitReader(resp.Body, maxBody+1))
	switch {
	case err != nil && ctx.Err() != nil:
		b.Release()
		return nil, e.Classify(ctx, err, attempts)
	case err != nil:
		b.Release()
		return nil, e.Fail(domain.LLMBadResponse, "reading response: "+err.Error(), attempts, err)
	case n > maxBody:
		b.Release()
		return nil, e.Fail(domain.LLMBadResponse, errTooLarge.Error(), attempts, errTooLarge)
	}
	e.LogResponse(resp.StatusCode, time.Since(start), b.Bytes())
	return b, nil
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
