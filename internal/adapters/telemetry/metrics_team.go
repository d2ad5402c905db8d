package telemetry

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-ai/chorus/internal/domain"
)

// teamMetrics are the series of the team-scale features: deployment
// attempts, the answer cache, rate limits and the shared state store.
type teamMetrics struct {
	attempts        *prometheus.CounterVec
	attemptDuration *prometheus.HistogramVec
	cache           *prometheus.CounterVec
	limited         *prometheus.CounterVec
	stateErrors     *prometheus.CounterVec
}

func (m *Metrics) initTeam() {
	m.team = teamMetrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chorus_deployment_attempts_total",
			Help: "Attempts on the deployments of models with several deployments, by model, deployment index, host and outcome.",
		}, []string{"model", "deployment", "host", "outcome"}),
		attemptDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "chorus_deployment_attempt_duration_seconds",
			Help:    "Duration of attempts on deployments, by model and deployment index.",
			Buckets: latencyBuckets,
		}, []string{"model", "deployment"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chorus_cache_requests_total",
			Help: "Answer cache lookups by outcome (hit, miss, bypass).",
		}, []string{"outcome"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chorus_rate_limited_total",
			Help: "Requests refused with 429 by the per-key rate limits, by budget (requests, tokens).",
		}, []string{"budget"}),
		stateErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chorus_state_errors_total",
			Help: "Failed operations on the shared state store (Redis), by user (cache, limiter).",
		}, []string{"user"}),
	}
	m.registry.MustRegister(m.team.attempts, m.team.attemptDuration, m.team.cache, m.team.limited, m.team.stateErrors)
}

// ObserveAttempt records one attempt on a deployment.
func (m *Metrics) ObserveAttempt(model string, a domain.DeploymentAttempt) {
	idx := strconv.Itoa(a.Deployment)
	m.team.attempts.WithLabelValues(model, idx, a.Host, a.Outcome).Inc()
	m.team.attemptDuration.WithLabelValues(model, idx).Observe(a.Latency.Seconds())
}

// ObserveCache records one answer cache lookup: "hit", "miss" or "bypass".
func (m *Metrics) ObserveCache(outcome string) { m.team.cache.WithLabelValues(outcome).Inc() }

// ObserveLimited records one request refused by a rate limit budget.
func (m *Metrics) ObserveLimited(budget string) { m.team.limited.WithLabelValues(budget).Inc() }

// ObserveStateError records one failed state store operation.
func (m *Metrics) ObserveStateError(user string) { m.team.stateErrors.WithLabelValues(user).Inc() }
