package telemetry

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// tokenBuckets are the explicit bucket boundaries the OpenTelemetry GenAI
// semantic conventions recommend for gen_ai.client.token.usage.
var tokenBuckets = []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}

// latencyBuckets cover fast HTTP answers as well as multi-minute workflows.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300}

// Metrics holds Chorus' Prometheus collectors on a registry of its own (not
// the global default one), so several servers in one test process never
// collide. It is safe for concurrent use.
type Metrics struct {
	registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec

	upstreamRequests *prometheus.CounterVec
	upstreamDuration *prometheus.HistogramVec
	upstreamErrors   *prometheus.CounterVec
	upstreamTTFT     *prometheus.HistogramVec
	tokenUsage       *prometheus.HistogramVec
	tokens           *prometheus.CounterVec

	workflowsInFlight   prometheus.Gauge
	passthroughInFlight prometheus.Gauge

	team     teamMetrics
	routes   *prometheus.CounterVec
	degraded *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them, with the Go runtime
// and process collectors, on a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chorus_http_requests_total",
			Help: "HTTP requests served, by route template, method and status code.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "chorus_http_request_duration_seconds",
			Help:    "HTTP request latency, by route template, method and status code.",
			Buckets: latencyBuckets,
		}, []string{"route", "method", "status"}),
	}
	m.initUpstream()
	m.initGateway()
	m.initTeam()
	m.initRoute()
	m.initDegraded()
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.httpDuration,
		m.upstreamRequests, m.upstreamDuration, m.upstreamErrors, m.upstreamTTFT,
		m.tokenUsage, m.tokens,
		m.workflowsInFlight, m.passthroughInFlight,
		m.routes, m.degraded,
	)
	return m
}

// Handler serves the registry in the Prometheus exposition format (for
// GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// ObserveRequest records one served HTTP request. route must be the route
// template (e.g. "/v1/chat/completions"), never the raw path, so unknown
// paths cannot blow up the label cardinality.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	code := strconv.Itoa(status)
	m.httpRequests.WithLabelValues(route, method, code).Inc()
	m.httpDuration.WithLabelValues(route, method, code).Observe(d.Seconds())
}
