package openai

import (
	"context"
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
	ep *upstream.Endpoint
}

// New returns a client for spec, posting to {spec.APIBase}/chat/completions.
func New(spec domain.ModelSpec, opts Options) *Client {
	url := strings.TrimRight(spec.APIBase, "/") + "/chat/completions"
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

// Stream implements ports.ChatModel. It reads SSE, or a plain JSON answer
// when the upstream ignored "stream": true (emitted once, as one delta).
func (c *Client) Stream(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	body, err := encodeRequest(c.ep.ModelFor(call), call, true)
	if err != nil {
		return domain.Completion{}, c.ep.EncodeError(err)
	}
	start := time.Now()
	resp, attempts, err := c.ep.Post(ctx, body, true) //nolint:bodyclose // EndStream or plainReply closes the body
	if err != nil {
		return domain.Completion{Attempts: attempts}, err
	}
	if isJSON(resp) {
		return c.plainReply(ctx, resp, attempts, start, emit)
	}
	limits := c.ep.Limits()
	r := relay{emit: emit}
	r.Limit = limits.MaxAnswerBytes
	err = r.run(ctx, c.ep, c.ep.Budget(resp.Body, start), limits.MaxEventBytes)
	comp := r.Completion(attempts)
	if err == nil && comp.Text == "" && len(comp.ToolCalls) == 0 && !upstream.EmptyAnswer(r.Finish) {
		err = emptyContent(r.Finish)
	}
	return c.ep.EndStream(ctx, resp.Body, start, r.Events, comp, err)
}

// plainReply handles a JSON answer to a stream request: decoded once and
// emitted as a single delta.
func (c *Client) plainReply(ctx context.Context, resp *http.Response, attempts int, start time.Time,
	emit func(domain.Delta) error) (domain.Completion, error) {
	comp, err := c.ep.Decode(ctx, resp, attempts, start, decodeCompletion)
	if err != nil {
		return comp, err
	}
	d := domain.Delta{Text: comp.Text, Reasoning: comp.Reasoning, ToolCalls: comp.ToolCalls, FinishReason: comp.FinishReason}
	if err := emit(d); err != nil {
		return comp, err
	}
	return comp, nil
}

// isJSON reports whether a response is plain JSON rather than a stream.
func isJSON(resp *http.Response) bool {
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}
