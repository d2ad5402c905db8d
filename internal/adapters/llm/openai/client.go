package openai

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

var _ ports.ChatModel = (*Client)(nil)

// Options configure a Client (HTTP client, logger, body logging, retries).
type Options = upstream.Options

// Client calls one configured OpenAI-compatible model.
type Client struct {
	name string
	ep   *upstream.Endpoint
}

// New returns a client for spec, posting to {spec.APIBase}/chat/completions.
func New(spec domain.ModelSpec, opts Options) *Client {
	url := strings.TrimRight(spec.APIBase, "/") + "/chat/completions"
	return &Client{name: spec.Name, ep: upstream.NewEndpoint(spec.Name, url, spec.APIKey, opts)}
}

// model returns the upstream model name for a call.
func (c *Client) model(call domain.ModelCall) string {
	if call.Model != "" {
		return call.Model
	}
	return c.name
}

// Complete implements ports.ChatModel.
func (c *Client) Complete(ctx context.Context, call domain.ModelCall) (domain.Completion, error) {
	body, err := encodeRequest(c.model(call), call, false)
	if err != nil {
		return domain.Completion{}, c.ep.Fail(domain.LLMBadResponse, "encoding request: "+err.Error(), 0, err)
	}
	start := time.Now()
	resp, attempts, err := c.ep.Post(ctx, body, false) //nolint:bodyclose // ReadAll closes the body
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	data, err := c.ep.ReadAll(ctx, resp, attempts, start)
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	comp, lerr := decodeCompletion(data.Bytes())
	data.Release() // the completion holds copies only
	if lerr != nil {
		return domain.Completion{Attempts: attempts}, c.ep.Adopt(lerr, attempts)
	}
	comp.Attempts = attempts
	return comp, nil
}

// Stream implements ports.ChatModel. It reads SSE, or a plain JSON answer
// when the upstream ignored "stream": true (emitted once, as one delta).
func (c *Client) Stream(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	body, err := encodeRequest(c.model(call), call, true)
	if err != nil {
		return domain.Completion{}, c.ep.Fail(domain.LLMBadResponse, "encoding request: "+err.Error(), 0, err)
	}
	start := time.Now()
	resp, attempts, err := c.ep.Post(ctx, body, true)
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	if isJSON(resp) {
		return c.plainReply(ctx, resp, attempts, start, emit)
	}
	r := relay{emit: emit}
	err = r.run(ctx, c.ep, resp.Body)
	comp := r.completion(attempts)
	if err == nil && comp.Text == "" && len(comp.ToolCalls) == 0 {
		err = emptyContent(r.finish)
	}
	if err == nil {
		upstream.DrainClose(resp.Body)
	} else {
		_ = resp.Body.Close()
	}
	c.ep.LogStreamEnd(time.Since(start), r.events, comp.Usage, err)
	if err != nil {
		return domain.Completion{Attempts: attempts}, c.streamError(ctx, err, attempts)
	}
	return comp, nil
}

// plainReply handles a JSON answer to a stream request.
func (c *Client) plainReply(ctx context.Context, resp *http.Response, attempts int, start time.Time,
	emit func(domain.Delta) error) (domain.Completion, error) {
	data, err := c.ep.ReadAll(ctx, resp, attempts, start)
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	comp, lerr := decodeCompletion(data.Bytes())
	data.Release() // the completion holds copies only
	if lerr != nil {
		return domain.Completion{Attempts: attempts}, c.ep.Adopt(lerr, attempts)
	}
	comp.Attempts = attempts
	d := domain.Delta{Text: comp.Text, Reasoning: comp.Reasoning, ToolCalls: comp.ToolCalls, FinishReason: comp.FinishReason}
	if err := emit(d); err != nil {
		return comp, err
	}
	return comp, nil
}

// streamError maps a relay failure: emit's own error passes through,
// decoder errors get the model name, read errors are classified.
func (c *Client) streamError(ctx context.Context, err error, attempts int) error {
	var ee errEmit
	if errors.As(err, &ee) {
		return ee.err
	}
	var lerr *domain.LLMError
	if errors.As(err, &lerr) && ctx.Err() == nil {
		return c.ep.Adopt(lerr, attempts)
	}
	return c.ep.StreamReadError(ctx, err, attempts)
}

// isJSON reports whether a response is plain JSON rather than a stream.
func isJSON(resp *http.Response) bool {
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}
