package telemetry

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-ai/chorus/internal/domain"
)

func (m *Metrics) initDegraded() {
	m.degraded = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_workflow_degraded_total",
		Help: "Workflow answers given although a stage fell back, by stage (analyzer, selector, synthesizer); an answer with several fallen-back stages counts once for each.",
	}, []string{"stage"})
}

// observeDegraded counts an answered workflow whose trace lists stages that
// fell back; failed requests are not answers.
func (m *Metrics) observeDegraded(t *domain.ExecutionTrace, err error) {
	if err != nil {
		return
	}
	for _, stage := range t.DegradedStages() {
		m.degraded.WithLabelValues(stage).Inc()
	}
}
