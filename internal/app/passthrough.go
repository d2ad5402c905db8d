package app

import (
	"context"
	"fmt"

	"github.com/chorus-ai/chorus/internal/domain"
)

// passthrough sends the request to the one model it names: the client's
// messages and every parameter as-is (temperature only when the client set
// one), and relays the answer with tool calls, reasoning and usage. It has
// no workflow trace but gets a workflow id and a "chat <model>" span.
func (s *Service) passthrough(ctx context.Context, req domain.ChatRequest, em *emitter) (domain.ChatResult, error) {
	id := newWorkflowID()
	res := domain.ChatResult{Model: req.Model, WorkflowID: id}
	var onDelta func(domain.Delta) error
	if em != nil {
		onDelta = em.delta
	}
	comp, answered, err := s.withFallbacks(ctx, req.Model, onDelta, func(ctx context.Context, model string, onDelta func(domain.Delta) error) (domain.Completion, error) {
		if em != nil {
			em.answering(model)
		}
		return s.passModel(ctx, model, req, id, onDelta)
	})
	res.Model = answered
	if err != nil {
		if stop := stopped(ctx); stop != nil {
			return res, fmt.Errorf("passthrough %s: %w", req.Model, stop)
		}
		return res, fmt.Errorf("passthrough %s: %w", req.Model, err)
	}
	res.Text, res.Reasoning, res.ToolCalls, res.Usage = comp.Text, comp.Reasoning, comp.ToolCalls, comp.Usage
	res.FinishReason = comp.FinishReason
	if res.FinishReason == "" {
		res.FinishReason = domain.FinishStop
		if len(res.ToolCalls) > 0 {
			res.FinishReason = domain.FinishToolCalls
		}
	}
	l := s.logger(ctx)
	l.Debug().Str("workflow_id", id).Str("model", req.Model).Msg("passthrough finished")
	return res, nil
}

// passModel sends the client's request to one model under its stage
// timeout and a "chat <model>" span.
func (s *Service) passModel(ctx context.Context, model string, req domain.ChatRequest, id string, onDelta func(domain.Delta) error) (domain.Completion, error) {
	m, err := s.models.Resolve(model)
	if err != nil {
		return domain.Completion{}, err
	}
	spanCtx, span := s.startChat(ctx, model, req.Params.Temperature, id)
	call := domain.ModelCall{Model: model, Messages: req.Messages, Params: req.Params}
	comp, err := s.invoke(spanCtx, m, call, s.wf.Models[model].Timeouts.Worker, onDelta)
	noteDeployments(span, deploymentsOf(comp, err))
	endChat(span, comp, err)
	return comp, err
}
