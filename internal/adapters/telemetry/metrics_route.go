package telemetry

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-ai/chorus/internal/domain"
)

func (m *Metrics) initRoute() {
	m.routes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_workflow_routes_total",
		Help: "Workflow requests by adaptive-routing decision (route: easy = answered by route_easy_to alone, full = the whole workflow) and the analyzer's difficulty rating (unrated when it gave none).",
	}, []string{"route", "difficulty"})
}

// observeRoute counts a workflow answer by its routing decision; requests
// without a trace (passthrough, failures before the workflow) are not
// workflow answers.
func (m *Metrics) observeRoute(t *domain.ExecutionTrace) {
	if t == nil {
		return
	}
	route, difficulty := "full", "unrated"
	if t.Routed != nil {
		route = "easy"
	}
	if t.Analyzer != nil && t.Analyzer.Difficulty != "" {
		difficulty = string(t.Analyzer.Difficulty)
	}
	m.routes.WithLabelValues(route, difficulty).Inc()
}
