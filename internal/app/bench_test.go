package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// instantModel answers at once from memory.
type instantModel struct{ text string }

func (m instantModel) Complete(context.Context, domain.ModelCall) (domain.Completion, error) {
	return domain.Completion{Text: m.text, Usage: testUsage, Attempts: 1}, nil
}

func (m instantModel) Stream(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	return domain.Completion{Text: m.text, Usage: testUsage, Attempts: 1}, emit(domain.Delta{Text: m.text})
}

type mapResolver map[string]ports.ChatModel

func (r mapResolver) Resolve(name string) (ports.ChatModel, error) {
	if m, ok := r[name]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("%w: %s", domain.ErrUnknownModel, name)
}

// BenchmarkWorkflow3Workers measures the engine's own overhead: an auto
// analyzer, three workers, a selector and a synthesizer over instant models.
func BenchmarkWorkflow3Workers(b *testing.B) {
	res := mapResolver{
		analyst: instantModel{`{"temperature": 0.5}`},
		alpha:   instantModel{"alpha says"}, beta: instantModel{"beta says"}, gamma: instantModel{"gamma says"},
		judge:  instantModel{`{"choice": "B", "reason": "best"}`},
		writer: instantModel{"final"},
	}
	wf := domain.Workflow{Name: "chorus", Models: map[string]domain.ModelSpec{},
		Root: stdPlan(modelNode(alpha), modelNode(beta), modelNode(gamma))}
	for name := range res {
		wf.Models[name] = domain.ModelSpec{Name: name}
	}
	wf.Root.Analyzer.AutoTemperature = domain.SomeBool(true)
	s, err := app.NewService(app.Deps{Workflow: wf, Models: res})
	if err != nil {
		b.Fatal(err)
	}
	req := chatReq("benchmark question")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := s.Complete(ctx, req)
		if err != nil || out.Text != "final" {
			b.Fatalf("unexpected result %q: %v", out.Text, err)
		}
	}
}
