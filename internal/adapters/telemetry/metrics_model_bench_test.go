package telemetry

import (
	"context"
	"testing"

	"github.com/chorus-ai/chorus/internal/domain"
)

// instantModel answers at once with usage.
type instantModel struct{}

func (instantModel) Complete(context.Context, domain.ModelCall) (domain.Completion, error) {
	return domain.Completion{Text: "x", Usage: domain.Usage{InputTokens: 10, OutputTokens: 20}}, nil
}

func (instantModel) Stream(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	return domain.Completion{Text: "x"}, emit(domain.Delta{Text: "x"})
}

// BenchmarkMeteredModel_Complete is the per-call cost of the upstream
// metrics of a successful call with usage.
func BenchmarkMeteredModel_Complete(b *testing.B) {
	m := NewMetrics().WrapModel("gpt-a", instantModel{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = m.Complete(ctx, domain.ModelCall{})
	}
}
