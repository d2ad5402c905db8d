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
func (m *Metrics) WrapGateway(next ports.Gateway) ports.Gateway {
	return &meteredGateway{m: m, next: next}
}

// meteredGateway decorates a Gateway with in-flight gauges.
type meteredGateway struct {
	m    *Metrics
	next ports.Gateway
}

var _ ports.Gateway = (*meteredGateway)(nil)

// Complete implements [ports.Gateway].
func (g *meteredGateway) Complete(ctx context.Context, req domain.ChatRequest) (domain.ChatResult, error) {
	done := g.track(req.Model)
	defer done()
	return g.next.Complete(ctx, req)
}

// Stream implements [ports.Gateway].
func (g *meteredGateway) Stream(ctx context.Context, req domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error) {
	done := g.track(req.Model)
	defer done()
	return g.next.Stream(ctx, req, emit)
}

// Models implements [ports.Gateway].
func (g *meteredGateway) Models() []domain.ModelInfo { return g.next.Models() }

// track raises the matching gauge and returns the function that lowers it.
func (g *meteredGateway) track(model string) func() {
	gauge := g.m.workflowsInFlight
	if g.isPassthrough(model) {
		gauge = g.m.passthroughInFlight
	}
	gauge.Inc()
	return gauge.Dec
}

// isPassthrough applies the routing rule of SPEC §7: the name of a configured
// model passes through; anything else runs the workflow.
func (g *meteredGateway) isPassthrough(model string) bool {
	for _, info := range g.next.Models() {
		if info.Name == model && !info.IsWorkflow {
			return true
		}
	}
	return false
}
