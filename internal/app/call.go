package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// callSpec is one upstream call made by a workflow stage.
type callSpec struct {
	model    string
	temp     domain.TemperatureChoice
	timeout  time.Duration // 0 = only the parent's deadline
	messages []domain.Message
	params   domain.Params            // the client's tools and format for workers; Temperature is set by call
	onDelta  func(domain.Delta) error // non-nil: stream the call
}

// call runs one call of a stage on c.model, or on its fallbacks when
// every deployment of it failed, under the stage deadline and one span per
// model tried, and returns the completion with its trace. An empty answer
// is a failure.
func (r *run) call(ctx context.Context, c callSpec) (domain.Completion, domain.CallTrace, error) {
	ct := r.startTrace(c.model, c.temp)
	comp, answered, err := r.s.withFallbacks(ctx, c.model, c.onDelta, func(ctx context.Context, model string, onDelta func(domain.Delta) error) (domain.Completion, error) {
		return r.callModel(ctx, model, c, onDelta)
	})
	ct.Duration = r.offset() - ct.Start
	ct.Usage, ct.Attempts, ct.Status = comp.Usage, attempts(comp, err), status(ctx, err)
	ct.Deployments = deploymentsOf(comp, err)
	if answered != c.model {
		ct.Model, ct.FallbackFrom = answered, c.model
	}
	if err != nil {
		ct.Error = err.Error()
	}
	return comp, ct, err
}

// callModel makes the call on one model under its own span.
func (r *run) callModel(ctx context.Context, model string, c callSpec, onDelta func(domain.Delta) error) (domain.Completion, error) {
	m, err := r.s.models.Resolve(model)
	if err != nil {
		return domain.Completion{}, fmt.Errorf("resolve model %q: %w", model, err)
	}
	cctx, span := r.s.startChat(ctx, model, domain.SomeFloat(c.temp.Value), r.id)
	params := c.params
	params.Temperature = domain.SomeFloat(c.temp.Value)
	call := domain.ModelCall{Model: model, Messages: c.messages, Params: params}
	comp, err := r.s.invoke(cctx, m, call, c.timeout, onDelta)
	if err == nil && strings.TrimSpace(comp.Text) == "" && len(comp.ToolCalls) == 0 {
		err = &domain.LLMError{Model: model, Kind: domain.LLMBadResponse, Message: "empty response", Attempts: comp.Attempts}
	}
	noteDeployments(span, deploymentsOf(comp, err))
	endChat(span, comp, err)
	return comp, err
}

// startTrace opens the trace of a call on model at temp, starting now.
func (r *run) startTrace(model string, temp domain.TemperatureChoice) domain.CallTrace {
	return domain.CallTrace{Model: model, Temperature: temp.Value, TemperatureSource: temp.Source, Start: r.offset()}
}

// stageTemperature returns a stage's model spec and its call temperature:
// the node's, else the model's, else def.
func (r *run) stageTemperature(t domain.Target, def float64) (domain.ModelSpec, domain.TemperatureChoice) {
	spec := r.spec(t.Model)
	return spec, domain.NewTemperaturePolicy(t, spec, false).Fixed(def)
}

// invoke runs one Complete (or Stream when onDelta is set) under the
// stage timeout d. A whole answer must arrive within d; a stream must not
// stay silent for d, since every delta re-arms the deadline (the original
// cut long streamed answers at the stage timeout). A deadline hit is
// returned as a timeout *domain.LLMError (matching domain.ErrStageTimeout).
// A panic in the model is recovered into the call's error.
func (s *Service) invoke(ctx context.Context, m ports.ChatModel, call domain.ModelCall, d time.Duration,
	onDelta func(domain.Delta) error) (domain.Completion, error) {
	if d <= 0 {
		return s.guard(ctx, call.Model, func() (domain.Completion, error) {
			if onDelta != nil {
				return m.Stream(ctx, call, onDelta)
			}
			return m.Complete(ctx, call)
		})
	}
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := time.AfterFunc(d, func() { cancel(errDeadline) })
	defer timer.Stop()
	comp, err := s.guard(ctx, call.Model, func() (domain.Completion, error) {
		if onDelta != nil {
			return m.Stream(cctx, call, func(dl domain.Delta) error { timer.Reset(d); return onDelta(dl) })
		}
		return m.Complete(cctx, call)
	})
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(cctx), errDeadline) {
		// The adapter saw a plain cancel; report what really happened.
		err = &domain.LLMError{Model: call.Model, Kind: domain.LLMTimeout, Attempts: attempts(comp, err),
			Message: fmt.Sprintf("no response within the %s stage timeout", d), Err: context.DeadlineExceeded}
	}
	return comp, err
}

// errDeadline is the cancel cause of a stage deadline.
var errDeadline = errors.New("stage deadline")

// attempts reads the upstream attempt count; a call that was made counts
// at least once.
func attempts(comp domain.Completion, err error) int {
	n := comp.Attempts
	if le := (*domain.LLMError)(nil); errors.As(err, &le) && le.Attempts > n {
		n = le.Attempts
	}
	return max(n, 1)
}
