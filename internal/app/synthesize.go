package app

import (
	"context"

	"github.com/chorus-ai/chorus/internal/domain"
)

// synthesize writes the final answer from the selected candidate and the
// others. In select mode, without a synthesizer, or when the synthesizer
// fails, the selected candidate is the answer. The root synthesizer of a
// streaming request streams; once it has emitted a delta its failure can no
// longer be hidden and is returned.
func (r *run) synthesize(ctx context.Context, p *domain.Plan, at level, cands []domain.Candidate,
	sel domain.Selection, tr *domain.ExecutionTrace) (answer, error) {
	selected := answer{text: cands[sel.Index].Text, finish: domain.FinishStop}
	if p.Synthesizer == nil {
		return selected, nil
	}
	spec, temp := r.stageTemperature(*p.Synthesizer, domain.SynthesizerCallTemperature)
	st := &domain.SynthesizerTrace{CallTrace: r.startTrace(p.Synthesizer.Model, temp)}
	tr.Synthesizer = st
	if r.s.wf.Mode == domain.ModeSelect {
		st.Status = domain.StatusSkipped
		return selected, nil
	}
	ctx, span := r.startStage(ctx, "synthesizer")
	streaming := at.depth == 0 && r.em != nil
	comp, err := r.askSynthesizer(ctx, p.Synthesizer.Model, temp, spec, cands, sel, streaming, st)
	switch {
	case err == nil:
		endStage(span, st.Status, "")
		return answer{text: comp.Text, finish: finishReason(comp)}, nil
	case streaming && r.em.started():
		endStage(span, st.Status, st.Error)
		return answer{}, &domain.StageError{Stage: "synthesizer", Err: err}
	}
	st.Status = fallbackStatus(st.Status)
	if st.Error == "" {
		st.Error = err.Error()
	}
	endStage(span, st.Status, st.Error)
	return selected, nil
}

func (r *run) askSynthesizer(ctx context.Context, model string, temp domain.TemperatureChoice, spec domain.ModelSpec,
	cands []domain.Candidate, sel domain.Selection, streaming bool, st *domain.SynthesizerTrace) (domain.Completion, error) {
	d := r.promptData(cands)
	d.Best, d.Reason = d.Candidates[sel.Index], sel.Reasoning
	d.Others = make([]promptCandidate, 0, len(cands)-1)
	for i, c := range d.Candidates {
		if i != sel.Index {
			d.Others = append(d.Others, c)
		}
	}
	msgs, err := render(r.s.prompts.synthesizer, &d)
	if err != nil {
		return domain.Completion{}, err
	}
	c := callSpec{model: model, temp: temp, timeout: spec.Timeouts.Synthesizer, messages: msgs}
	if streaming {
		c.onDelta = func(dl domain.Delta) error {
			if dl.Text == "" {
				return nil // only answer text is streamed as content
			}
			return r.em.delta(domain.Delta{Text: dl.Text})
		}
	}
	comp, ct, err := r.call(ctx, c)
	st.CallTrace = ct
	return comp, err
}

func finishReason(c domain.Completion) string {
	if c.FinishReason != "" {
		return c.FinishReason
	}
	return domain.FinishStop
}
