package app

import (
	"context"

	"github.com/chorus-ai/chorus/internal/domain"
)

// noteToolAnswer is the trace note of a tool answer.
const noteToolAnswer = "the selected candidate calls tools: its calls are the answer, the synthesizer is skipped"

// synthesize settles the plan's answer. When the selected candidate calls
// tools, its calls (and any text beside them) are the answer as they are:
// merging calls from several candidates could invent arguments no model
// produced, so the synthesizer is skipped. A text answer is synthesized,
// then checked against the requested structured output (see settleFormat).
func (r *run) synthesize(ctx context.Context, p *domain.Plan, at level, cands []domain.Candidate,
	sel domain.Selection, tr *domain.ExecutionTrace) (answer, error) {
	best := cands[sel.Index]
	if len(best.ToolCalls) > 0 {
		tr.Output = &domain.OutputTrace{Kind: domain.AnswerToolCalls, Source: best.Label, Note: noteToolAnswer}
		if p.Synthesizer != nil {
			_, temp := r.stageTemperature(*p.Synthesizer, domain.SynthesizerCallTemperature)
			tr.Synthesizer = &domain.SynthesizerTrace{CallTrace: r.startTrace(p.Synthesizer.Model, temp)}
			tr.Synthesizer.Status, tr.Synthesizer.Note = domain.StatusSkipped, noteToolAnswer
		}
		return answer{text: best.Text, toolCalls: best.ToolCalls, finish: domain.FinishToolCalls}, nil
	}
	ans, synthesized, err := r.synthesizeText(ctx, p, at, cands, sel, tr)
	if err != nil {
		return ans, err
	}
	source := best.Label
	if synthesized {
		source = "synthesizer"
	}
	tr.Output = &domain.OutputTrace{Kind: domain.AnswerText, Source: source}
	return r.settleFormat(ans, cands, sel, tr.Output), nil
}

// synthesizeText writes the final text from the selected candidate and the
// others; synthesized is false when the selected candidate is the answer:
// in select mode, without a synthesizer, or when the synthesizer fails. The
// root synthesizer of a streaming request streams (unless structured output
// must be checked first); once it has emitted a delta its failure can no
// longer be hidden and is returned.
func (r *run) synthesizeText(ctx context.Context, p *domain.Plan, at level, cands []domain.Candidate,
	sel domain.Selection, tr *domain.ExecutionTrace) (ans answer, synthesized bool, err error) {
	selected := answer{text: cands[sel.Index].Text, finish: domain.FinishStop}
	if p.Synthesizer == nil {
		return selected, false, nil
	}
	spec, temp := r.stageTemperature(*p.Synthesizer, domain.SynthesizerCallTemperature)
	st := &domain.SynthesizerTrace{CallTrace: r.startTrace(p.Synthesizer.Model, temp)}
	tr.Synthesizer = st
	if r.s.wf.Mode == domain.ModeSelect {
		st.Status = domain.StatusSkipped
		return selected, false, nil
	}
	ctx, span := r.startStage(ctx, "synthesizer")
	streaming := at.depth == 0 && r.em != nil && !r.format.active()
	r.progress.synthesizing(at.depth)
	comp, err := r.askSynthesizer(ctx, p.Synthesizer.Model, temp, spec, cands, sel, streaming, st)
	switch {
	case err == nil:
		if at.depth == 0 && !streaming {
			_ = r.progress.reasoning(comp.Reasoning) // a whole answer: the synthesizer's thinking follows the lines
		}
		endStage(span, st.Status, "")
		return answer{text: comp.Text, finish: finishReason(comp)}, true, nil
	case streaming && r.em.started():
		endStage(span, st.Status, st.Error)
		return answer{}, false, &domain.StageError{Stage: "synthesizer", Err: err}
	}
	st.Status = fallbackStatus(st.Status)
	if st.Error == "" {
		st.Error = err.Error()
	}
	endStage(span, st.Status, st.Error)
	return selected, false, nil
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
	// The synthesizer writes the final answer, so it gets the requested
	// structured output format (never the tools: see synthesize).
	c := callSpec{model: model, temp: temp, timeout: spec.Timeouts.Synthesizer, messages: msgs,
		params: domain.Params{ResponseFormat: r.workerParams.ResponseFormat}}
	if streaming {
		c.onDelta = func(dl domain.Delta) error {
			if err := r.progress.reasoning(dl.Reasoning); err != nil {
				return err
			}
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
