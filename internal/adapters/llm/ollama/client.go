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
	ep *upstream.Endpoint
}

// New returns a client for spec, posting to {spec.APIBase}/api/chat
// (api_base like http://localhost:11434).
func New(spec domain.ModelSpec, opts Options) *Client {
	url := strings.TrimRight(spec.APIBase, "/") + "/api/chat"
	return &Client{ep: upstream.NewEndpoint(spec.Name, url, spec.APIKey, opts)}
}

// Complete implements ports.ChatModel.
func (c *Client) Complete(ctx context.Context, call domain.ModelCall) (domain.Completion, error) {
	body, err := encodeRequest(c.ep.ModelFor(call), call, false)
	if err != nil {
		return domain.Completion{}, c.ep.EncodeError(err)
	}
	return c.ep.Complete(ctx, body, decodeCompletion)
}

// decodeCompletion parses a non-streamed answer: one object, or NDJSON
// lines from an upstream that streamed anyway.
func decodeCompletion(data []byte) (domain.Completion, *domain.LLMError) {
	r := relay{emit: func(domain.Delta) error { return nil }}
	r.Limit = len(data) + 1 // the whole body is already bounded by the read
	var err error
	if json.Unmarshal(data, &r.obj) == nil {
		r.obj.Done = true // a single object is the whole answer
		err = r.apply()
	} else {
		err = r.run(context.Background(), nil, bytes.NewReader(data), len(data)+1)
	}
	if err != nil {
		var lerr *domain.LLMError
		if errors.As(err, &lerr) {
			return domain.Completion{}, lerr
		}
		return domain.Completion{}, upstream.BadResponse(err.Error(), err)
	}
	comp := r.Completion(0)
	if comp.Text == "" && len(comp.ToolCalls) == 0 && !upstream.EmptyAnswer(r.doneReason()) {
		return domain.Completion{}, upstream.BadResponse("empty content", nil)
	}
	return comp, nil
}

// Stream implements ports.ChatModel.
func (c *Client) Stream(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	body, err := encodeRequest(c.ep.ModelFor(call), call, true)
	if err != nil {
		return domain.Completion{}, c.ep.EncodeError(err)
	}
	start := time.Now()
	resp, attempts, err := c.ep.Post(ctx, body, true)
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	limits := c.ep.Limits()
	r := relay{emit: emit}
	r.Limit = limits.MaxAnswerBytes
	err = r.run(ctx, c.ep, c.ep.Budget(resp.Body, start), limits.MaxEventBytes)
	comp := r.Completion(attempts)
	if err == nil && comp.Text == "" && len(comp.ToolCalls) == 0 && !upstream.EmptyAnswer(r.doneReason()) {
		err = upstream.BadResponse("empty content", nil)
	}
	return c.ep.EndStream(ctx, resp.Body, start, r.Events, comp, err)
}
