package app

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Span attributes of adaptive routing, set on the workflow span.
const (
	attrRoute      = "chorus.route"       // "easy" (one model) or "full" (the workflow)
	attrRouteModel = "chorus.route.model" // the model that answered an easy request
	attrDifficulty = "chorus.analyzer.difficulty"
)

// routes reports whether adaptive routing applies to plan p: it is on and p
// is the root (nested plans always run in full).
func (r *run) routes(p *domain.Plan) bool {
	return r.s.wf.Routing.Enabled() && p == r.s.wf.Root
}

// easy reports whether the analyzer rated the request at or below the
// routing threshold. An analyzer that failed or gave no rating never routes.
func (r *run) easy(at *domain.AnalyzerTrace) bool {
	return at != nil && at.Status == domain.StatusOK && at.Difficulty != "" &&
		at.Difficulty.AtMost(r.s.wf.Routing.Threshold)
}

// route answers an easy request with the routing model alone: the client's
// conversation and parameters as a passthrough would send them (streaming
// too), the temperature the client set, else the model's, else the
// analyzer's suggestion, else the default.
func (r *run) route(ctx context.Context, suggestion domain.OptFloat, tr *domain.ExecutionTrace) (answer, error) {
	model := r.s.wf.Routing.EasyTo
	temp := r.routeTemperature(model, suggestion)
	rt := &domain.RouteTrace{CallTrace: r.startTrace(model, temp), Difficulty: tr.Analyzer.Difficulty,
		Threshold: r.s.wf.Routing.Threshold, Reason: tr.Analyzer.Reasoning}
	tr.Routed = rt
	markRoute(ctx, "easy", model, rt.Difficulty)
	m, err := r.s.models.Resolve(model)
	if err != nil {
		rt.Status, rt.Error = domain.StatusError, err.Error()
		return answer{}, fmt.Errorf("route to %s: %w", model, err)
	}
	params := r.params
	params.Temperature = domain.SomeFloat(temp.Value)
	cctx, span := r.s.startChat(ctx, model, params.Temperature, r.id)
	var onDelta func(domain.Delta) error
	if r.em != nil {
		onDelta = r.em.delta
	}
	comp, err := r.s.invoke(cctx, m, domain.ModelCall{Model: model, Messages: r.messages, Params: params},
		r.spec(model).Timeouts.Worker, onDelta)
	endChat(span, comp, err)
	rt.Duration = r.offset() - rt.Start
	rt.Usage, rt.Attempts, rt.Status = comp.Usage, attempts(comp, err), status(ctx, err)
	if err != nil {
		rt.Error = err.Error()
		return answer{}, fmt.Errorf("route to %s: %w", model, err)
	}
	r.routed = &comp
	return answer{text: comp.Text, finish: finishReason(comp)}, nil
}

// routeTemperature picks the routed call's temperature.
func (r *run) routeTemperature(model string, suggestion domain.OptFloat) domain.TemperatureChoice {
	switch {
	case r.params.Temperature.Set:
		return domain.TemperatureChoice{Value: r.params.Temperature.Value, Source: domain.TempFromRequest}
	case r.spec(model).Temperature.Set:
		return domain.TemperatureChoice{Value: r.spec(model).Temperature.Value, Source: domain.TempFromModel}
	case suggestion.Set:
		return domain.TemperatureChoice{Value: suggestion.Value, Source: domain.TempFromAnalyzer}
	}
	return domain.TemperatureChoice{Value: domain.DefaultTemperature, Source: domain.TempFromDefault}
}

// markRoute records the routing decision on the workflow span: route is
// "easy" (model answered alone) or "full".
func markRoute(ctx context.Context, route, model string, d domain.Difficulty) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(attribute.String(attrRoute, route), attribute.String(attrDifficulty, string(d)))
	if model != "" {
		span.SetAttributes(attribute.String(attrRouteModel, model))
	}
}
