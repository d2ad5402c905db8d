package app

import (
	"context"
	"errors"

	"github.com/chorus-ai/chorus/internal/domain"
)

// analyze asks the analyzer for a temperature suggestion when a worker of
// the plan needs one. It never fails the plan: any failure leaves the
// suggestion unset (workers then use the default) and is recorded as a
// fallback.
func (r *run) analyze(ctx context.Context, p *domain.Plan, auto bool, tr *domain.ExecutionTrace) domain.OptFloat {
	spec, temp := r.stageTemperature(p.Analyzer, domain.AnalyzerCallTemperature)
	at := &domain.AnalyzerTrace{CallTrace: r.startTrace(p.Analyzer.Model, temp)}
	tr.Analyzer = at
	if !needsSuggestion(r, p, auto) && !r.routes(p) {
		at.Status = domain.StatusSkipped
		return domain.OptFloat{}
	}
	ctx, span := r.startStage(ctx, "analyzer")
	a, err := r.askAnalyzer(ctx, p.Analyzer.Model, temp, spec, at)
	if err != nil {
		at.Status, at.Error = fallbackStatus(at.Status), err.Error()
		endStage(span, at.Status, at.Error)
		return domain.OptFloat{}
	}
	at.SuggestedTemperature = domain.SomeFloat(a.temperature)
	at.TaskType, at.Reasoning, at.Difficulty = a.taskType, a.reasoning, a.difficulty
	endStage(span, at.Status, "")
	return at.SuggestedTemperature
}

func (r *run) askAnalyzer(ctx context.Context, model string, temp domain.TemperatureChoice,
	spec domain.ModelSpec, at *domain.AnalyzerTrace) (analysis, error) {
	d := r.promptData(nil)
	msgs, err := render(r.s.prompts.analyzer, &d)
	if err != nil {
		return analysis{}, err
	}
	comp, ct, err := r.call(ctx, callSpec{model: model, temp: temp, timeout: spec.Timeouts.Analyzer, messages: msgs})
	at.CallTrace = ct
	if err != nil {
		return analysis{}, err
	}
	a, ok := parseAnalysis(comp.Text)
	if !ok {
		return analysis{}, errors.New("analyzer reply held no temperature")
	}
	return a, nil
}

// needsSuggestion reports whether any model worker of p resolves its
// temperature from the analyzer.
func needsSuggestion(r *run, p *domain.Plan, auto bool) bool {
	for _, n := range p.Workers {
		if m, ok := modelNode(n); ok && domain.NewTemperaturePolicy(m.Target, r.spec(m.Model), auto).NeedsSuggestion() {
			return true
		}
	}
	return false
}

// fallbackStatus turns a failed stage call into a fallback, except when the
// request itself was canceled.
func fallbackStatus(s domain.CallStatus) domain.CallStatus {
	if s == domain.StatusCanceled {
		return s
	}
	return domain.StatusFallback
}
