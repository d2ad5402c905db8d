package ports

import (
	"context"

	"github.com/chorus-ai/chorus/internal/domain"
)

// ChatModel sends chat requests to one configured upstream model.
// Failures are *domain.LLMError values.
type ChatModel interface {
	// Complete returns the model's whole answer.
	Complete(ctx context.Context, call domain.ModelCall) (domain.Completion, error)
	// Stream calls emit for each delta as it arrives and returns the
	// aggregated completion (text, tool calls, usage) at the end. An error
	// from emit stops the stream and is returned.
	Stream(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error)
}

// ModelResolver finds the ChatModel for a configured model name.
type ModelResolver interface {
	// Resolve returns the model, or an error wrapping domain.ErrUnknownModel.
	Resolve(name string) (ChatModel, error)
}
