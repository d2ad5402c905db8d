package telemetry

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

func (m *Metrics) initGateway() {
	m.workflowsInFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "chorus_workflows_in_flight",
		Help: "Workflow requests (analyzer, workers, selector, synthesizer) currently running.",
	})
	m.passthroughInFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "chorus_passthrough_in_flight",
		Help: "Passthrough requests (a configured model named directly) currently running.",
	})
}

// WrapGateway returns a Gateway that counts the requests in flight through
// next: workflow runs in chorus_workflows_in_flight, requests naming a
// configured model (passthrough, per SPEC §7) in chorus_passthrough_in_flight.
// The model names are read once here: a gateway's models are fixed for its
// life (a reload builds and wraps a new gateway).
func (m *Metrics) WrapGateway(next ports.Gateway) ports.Gateway {
	g := &meteredGateway{m: m, next: next, passthrough: map[string]struct{}{}}
	for _, info := range next.Models() {
		if !info.IsWorkflow {
			g.passthrough[info.Name] = struct{}{}
		}
	}
	return g
}

// meteredGateway decorates a Gateway with in-flight gauges.
type meteredGateway struct {
	m           *Metrics
	next        ports.Gateway
	passthrough map[string]struct{} // configured (non-workflow) model names
}

var _ ports.Gateway = (*meteredGateway)(nil)

// Complete implements [ports.Gateway].
func (g *meteredGateway) Complete(ctx context.Context, req domain.ChatRequest) (domain.ChatResult, error) {
	gauge := g.gauge(req.Model)
	gauge.Inc()
	defer gauge.Dec()
	res, err := g.next.Complete(ctx, req)
	g.m.observeRoute(res.Trace)
	g.m.observeDegraded(res.Trace, err)
	return res, err
}

// Stream implements [ports.Gateway].
func (g *meteredGateway) Stream(ctx context.Context, req domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error) {
	gauge := g.gauge(req.Model)
	gauge.Inc()
	defer gauge.Dec()
	res, err := g.next.Stream(ctx, req, emit)
	g.m.observeRoute(res.Trace)
	g.m.observeDegraded(res.Trace, err)
	return res, err
}

// Models implements [ports.Gateway].
func (g *meteredGateway) Models() []domain.ModelInfo { return g.next.Models() }

// gauge returns the in-flight gauge of a request for model.
func (g *meteredGateway) gauge(model string) prometheus.Gauge {
	if g.isPassthrough(model) {
		return g.m.passthroughInFlight
	}
	return g.m.workflowsInFlight
}

// isPassthrough applies the routing rule of SPEC §7: the name of a configured
// model passes through; anything else runs the workflow.
func (g *meteredGateway) isPassthrough(model string) bool {
	_, ok := g.passthrough[model]
	return ok
}
