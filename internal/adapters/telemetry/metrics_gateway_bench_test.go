package telemetry

import (
	"context"
	"testing"

	"github.com/chorus-ai/chorus/internal/domain"
)

// staticGateway answers at once and lists a workflow and eight models.
type staticGateway struct{}

func (staticGateway) Complete(context.Context, domain.ChatRequest) (domain.ChatResult, error) {
	return domain.ChatResult{}, nil
}

func (staticGateway) Stream(context.Context, domain.ChatRequest, func(domain.StreamEvent) error) (domain.ChatResult, error) {
	return domain.ChatResult{}, nil
}

func (staticGateway) Models() []domain.ModelInfo {
	out := []domain.ModelInfo{{Name: "chorus", IsWorkflow: true}}
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		out = append(out, domain.ModelInfo{Name: n, Provider: "openai"})
	}
	return out
}

// BenchmarkMeteredGateway_Complete is the per-request cost of the
// in-flight gauges (routing a request to its gauge included).
func BenchmarkMeteredGateway_Complete(b *testing.B) {
	gw := NewMetrics().WrapGateway(staticGateway{})
	req := domain.ChatRequest{Model: "h"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = gw.Complete(ctx, req)
	}
}
