package echo

import (
	"context"
	"errors"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

var _ ports.ChatModel = (*Client)(nil)

// maxChunks is how many pieces a streamed answer is split into at most.
const maxChunks = 8

// Client is the echo model for one configured name.
type Client struct {
	name string
}

// New returns the echo model for spec; it needs no api_base.
func New(spec domain.ModelSpec) *Client { return &Client{name: spec.Name} }

// model returns the model name for a call.
func (c *Client) model(call domain.ModelCall) string {
	if call.Model != "" {
		return call.Model
	}
	return c.name
}

// Complete implements ports.ChatModel.
func (c *Client) Complete(ctx context.Context, call domain.ModelCall) (domain.Completion, error) {
	if err := c.ctxErr(ctx, call); err != nil {
		return domain.Completion{Attempts: 1}, err
	}
	text := answer(c.model(call), call.Messages)
	return c.completion(call, text), nil
}

// Stream implements ports.ChatModel: the answer arrives in several chunks,
// the last one carrying the finish reason.
func (c *Client) Stream(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	text := answer(c.model(call), call.Messages)
	parts := chunks(text, maxChunks)
	for i, p := range parts {
		if err := c.ctxErr(ctx, call); err != nil {
			return domain.Completion{Attempts: 1}, err
		}
		d := domain.Delta{Text: p}
		if i == len(parts)-1 {
			d.FinishReason = domain.FinishStop
		}
		if err := emit(d); err != nil {
			return domain.Completion{Attempts: 1}, err
		}
	}
	return c.completion(call, text), nil
}

// completion wraps an answer with its usage.
func (c *Client) completion(call domain.ModelCall, text string) domain.Completion {
	return domain.Completion{
		Text:         text,
		FinishReason: domain.FinishStop,
		Usage:        domain.Usage{InputTokens: words(call.Messages), OutputTokens: len(strings.Fields(text))},
		Attempts:     1,
	}
}

// ctxErr reports a finished context as an LLMError.
func (c *Client) ctxErr(ctx context.Context, call domain.ModelCall) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	kind := domain.LLMCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = domain.LLMTimeout
	}
	return &domain.LLMError{Model: c.model(call), Kind: kind, Message: err.Error(), Attempts: 1, Err: err}
}
