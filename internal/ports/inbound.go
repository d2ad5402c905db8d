package ports

import (
	"context"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Gateway is the use case the HTTP adapter calls: it answers a chat request by
// running the workflow, or by passing it through when the request names a
// configured model.
type Gateway interface {
	// Complete answers without streaming.
	Complete(ctx context.Context, req domain.ChatRequest) (domain.ChatResult, error)
	// Stream emits content deltas (and keep-alive ticks while earlier stages
	// run) and returns the final result. emit is never called concurrently.
	Stream(ctx context.Context, req domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error)
	// Models lists the workflow name first, then every configured model.
	Models() []domain.ModelInfo
}
