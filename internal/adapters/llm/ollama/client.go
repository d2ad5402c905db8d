package ollama

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

var _ ports.ChatModel = (*Client)(nil)

// Options configure a Client (HTTP client, logger, body logging, retries).
type Options = upstream.Options

// Client calls one configured Ollama model.
type Client struct {
	name string
	ep   *upstream.Endpoint
}

// New returns a client for spec, posting to {spec.APIBase}/api/chat
// (api_base like http://localhost:11434).
func New(spec domain.ModelSpec, opts Options) *Client {
	url := strings.TrimRight(spec.APIBase, "/") + "/api/chat"
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
	resp, attempts, err := c.ep.Post(ctx, body, false)
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

// decodeCompletion parses a non-streamed answer: one object, or NDJSON
// lines from an upstream that streamed anyway.
func decodeCompletion(data []byte) (domain.Completion, *domain.LLMError) {
	r := relay{emit: func(domain.Delta) error { return nil }}
	var err error
	if json.Unmarshal(data, &r.obj) == nil {
		r.obj.Done = true // a single object is the whole answer
		err = r.apply()
	} else {
		err = r.run(context.Background(), nil, bytes.NewReader(data))
	}
	if err != nil {
		var lerr *domain.LLMError
		if errors.As(err, &lerr) {
			return domain.Completion{}, lerr
		}
		return domain.Completion{}, upstream.BadResponse(err.Error(), err)
	}
	comp := r.completion(0)
	if comp.Text == "" && len(comp.ToolCalls) == 0 {
		return domain.Completion{}, upstream.BadResponse("empty content", nil)
	}
	return comp, nil
}

// Stream implements ports.ChatModel.
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
	r := relay{emit: emit}
	err = r.run(ctx, c.ep, resp.Body)
	comp := r.completion(attempts)
	if err == nil && comp.Text == "" && len(comp.ToolCalls) == 0 {
		err = upstream.BadResponse("empty content", nil)
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
