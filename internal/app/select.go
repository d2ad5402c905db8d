package app

import (
	"context"
	"errors"

	"github.com/chorus-ai/chorus/internal/domain"
)

// selectBest picks the best candidate. Without a selector, or when it fails,
// the first candidate (the first successful worker in configuration order)
// is chosen; a single candidate needs no call. It never fails the plan.
func (r *run) selectBest(ctx context.Context, p *domain.Plan, cands []domain.Candidate, tr *domain.ExecutionTrace) domain.Selection {
	if p.Selector == nil {
		return domain.Selection{}
	}
	spec, temp := r.stageTemperature(*p.Selector, domain.SelectorCallTemperature)
	st := &domain.SelectorTrace{CallTrace: r.startTrace(p.Selector.Model, temp)}
	tr.Selector = st
	if len(cands) == 1 {
		st.Status = domain.StatusSkipped
		return chose(st, cands, domain.Selection{})
	}
	ctx, span := r.startStage(ctx, "selector")
	sel, err := r.askSelector(ctx, p.Selector.Model, temp, spec, cands, st)
	if err != nil {
		st.Status, st.Error = fallbackStatus(st.Status), err.Error()
		sel = domain.Selection{}
	}
	endStage(span, st.Status, st.Error)
	return chose(st, cands, sel)
}

func (r *run) askSelector(ctx context.Context, model string, temp domain.TemperatureChoice, spec domain.ModelSpec,
	cands []domain.Candidate, st *domain.SelectorTrace) (domain.Selection, error) {
	d := r.promptData(cands)
	msgs, err := render(r.s.prompts.selector, &d)
	if err != nil {
		return domain.Selection{}, err
	}
	comp, ct, err := r.call(ctx, callSpec{model: model, temp: temp, timeout: spec.Timeouts.Selector, messages: msgs})
	st.CallTrace, st.RawOutput = ct, comp.Text
	if err != nil {
		return domain.Selection{}, err
	}
	sel, ok := parseSelection(comp.Text, len(cands))
	if !ok {
		return domain.Selection{}, errors.New("selector reply named no valid response")
	}
	return sel, nil
}

// chose records the selection in the trace and returns it.
func chose(st *domain.SelectorTrace, cands []domain.Candidate, sel domain.Selection) domain.Selection {
	c := cands[sel.Index]
	st.SelectedIndex, st.SelectedLabel, st.SelectedNode, st.Reasoning = sel.Index+1, c.Label, c.Node, sel.Reasoning
	return sel
}
