package app

import (
	"context"
	"errors"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/chorus-ai/chorus/internal/domain"
)

// tryModel makes one call on one model of a fallback chain.
type tryModel func(ctx context.Context, model string, onDelta func(domain.Delta) error) (domain.Completion, error)

// withFallbacks calls model and, when it failed (every deployment of it),
// its configured fallbacks in order until one answers. It stops early when
// the client went away or part of a stream already reached the client, since
// a second answer cannot be spliced onto a first. It returns the name of
// the model whose result (or last error) it returns.
func (s *Service) withFallbacks(ctx context.Context, model string, onDelta func(domain.Delta) error, try tryModel) (domain.Completion, string, error) {
	chain := s.fallbackChain(model)
	emitted := false
	relay := onDelta
	if onDelta != nil {
		relay = func(d domain.Delta) error { emitted = true; return onDelta(d) }
	}
	for i, m := range chain {
		comp, err := try(ctx, m, relay)
		last := i == len(chain)-1
		if err == nil || last || emitted || ctx.Err() != nil || errors.Is(err, domain.ErrCanceled) {
			if err != nil && i > 0 {
				err = fmt.Errorf("model %s and its fallbacks failed: %w", model, err)
			}
			return comp, m, err
		}
		l := s.logger(ctx)
		l.Warn().Str("model", m).Str("fallback", chain[i+1]).Err(err).Msg("model failed; trying its fallback")
	}
	return domain.Completion{}, model, fmt.Errorf("model %s: empty fallback chain", model) // unreachable: chain holds model
}

// fallbackChain is model followed by its fallbacks, depth first, each model
// once (the configuration rejects cycles; the guard keeps a bad one finite).
func (s *Service) fallbackChain(model string) []string {
	chain := []string{model}
	if len(s.wf.Models[model].Fallbacks) == 0 {
		return chain
	}
	seen := map[string]bool{model: true}
	var walk func(string)
	walk = func(m string) {
		for _, fb := range s.wf.Models[m].Fallbacks {
			if !seen[fb] {
				seen[fb] = true
				chain = append(chain, fb)
				walk(fb)
			}
		}
	}
	walk(model)
	return chain
}

// deploymentsOf returns the per-deployment attempts of a call.
func deploymentsOf(comp domain.Completion, err error) []domain.DeploymentAttempt {
	if le := (*domain.LLMError)(nil); errors.As(err, &le) {
		return le.Deployments
	}
	return comp.Deployments
}

// noteDeployments adds one span event per deployment attempt (index, host
// and outcome; never a key).
func noteDeployments(span trace.Span, tries []domain.DeploymentAttempt) {
	if !span.IsRecording() {
		return
	}
	for _, a := range tries {
		span.AddEvent("deployment attempt", trace.WithAttributes(
			attribute.Int("chorus.deployment.index", a.Deployment),
			attribute.String("chorus.deployment.host", a.Host),
			attribute.String("chorus.deployment.outcome", a.Outcome),
			attribute.Int64("chorus.deployment.latency_ms", a.Latency.Milliseconds()),
		))
	}
}
