package telemetry

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// Outcomes of an upstream call (label "outcome").
const (
	outcomeOK       = "ok"
	outcomeError    = "error"
	outcomeCanceled = "canceled"
)

func (m *Metrics) initUpstream() {
	m.upstreamRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_upstream_requests_total",
		Help: "Calls to upstream models, by configured model name and outcome (ok, error, canceled).",
	}, []string{"model", "outcome"})
	m.upstreamDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "chorus_upstream_request_duration_seconds",
		Help:    "Duration of upstream model calls (a whole stream for streaming calls), by model.",
		Buckets: latencyBuckets,
	}, []string{"model"})
	m.upstreamErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_upstream_errors_total",
		Help: "Failed upstream model calls, by model and error kind (timeout, canceled, status, bad_response, connection, unknown).",
	}, []string{"model", "kind"})
	m.upstreamTTFT = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "chorus_upstream_time_to_first_chunk_seconds",
		Help:    "Time from the start of a streaming upstream call to its first delta, by model.",
		Buckets: latencyBuckets,
	}, []string{"model"})
	m.tokenUsage = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gen_ai_client_token_usage",
		Help:    "Tokens used per upstream call (OpenTelemetry gen_ai.client.token.usage), by token type and model.",
		Buckets: tokenBuckets,
	}, []string{"gen_ai_operation_name", "gen_ai_token_type", "gen_ai_request_model"})
	m.tokens = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_upstream_tokens_total",
		Help: "Tokens used by upstream calls, by model and token type (input, output).",
	}, []string{"model", "type"})
}

// WrapModel returns a ChatModel that records calls, latency, errors and token
// usage of next under the configured model name.
func (m *Metrics) WrapModel(name string, next ports.ChatModel) ports.ChatModel {
	return &meteredModel{m: m, name: name, next: next}
}

// meteredModel decorates a ChatModel with metrics. The series of a
// successful call are looked up once (on first use, so that a model's
// series appear only once it was called) instead of hashing their labels
// on every call.
type meteredModel struct {
	m    *Metrics
	name string
	next ports.ChatModel

	okOnce   sync.Once
	ok       okSeries
	ttftOnce sync.Once
	ttft     prometheus.Observer
	tokens   [2]tokenSeries // input, output
}

// tokenTypes are the token type label values, in tokenSeries order.
var tokenTypes = [2]string{"input", "output"}

// tokenSeries are a model's series of one token type.
type tokenSeries struct {
	once  sync.Once
	usage prometheus.Observer
	total prometheus.Counter
}

// okSeries are the series every successful call of a model records.
type okSeries struct {
	duration prometheus.Observer
	requests prometheus.Counter
}

// series returns the model's duration and ok-request series.
func (mm *meteredModel) series() *okSeries {
	mm.okOnce.Do(func() {
		mm.ok = okSeries{
			duration: mm.m.upstreamDuration.WithLabelValues(mm.name),
			requests: mm.m.upstreamRequests.WithLabelValues(mm.name, outcomeOK),
		}
	})
	return &mm.ok
}

// observe records one finished call.
func (mm *meteredModel) observe(d time.Duration, usage domain.Usage, err error) {
	if err != nil {
		mm.m.observeError(mm.name, d, err)
		return
	}
	ok := mm.series()
	ok.duration.Observe(d.Seconds())
	ok.requests.Inc()
	mm.observeTokens(0, usage.InputTokens)
	mm.observeTokens(1, usage.OutputTokens)
}

// observeTokens records a token count of tokenTypes[i]; zero means the
// upstream did not report usage, so nothing is observed rather than a
// misleading 0.
func (mm *meteredModel) observeTokens(i, n int) {
	if n <= 0 {
		return
	}
	t := &mm.tokens[i]
	t.once.Do(func() {
		t.usage = mm.m.tokenUsage.WithLabelValues("chat", tokenTypes[i], mm.name)
		t.total = mm.m.tokens.WithLabelValues(mm.name, tokenTypes[i])
	})
	t.usage.Observe(float64(n))
	t.total.Add(float64(n))
}

var _ ports.ChatModel = (*meteredModel)(nil)

// Complete implements [ports.ChatModel].
func (mm *meteredModel) Complete(ctx context.Context, call domain.ModelCall) (domain.Completion, error) {
	start := time.Now()
	c, err := mm.next.Complete(ctx, call)
	mm.observe(time.Since(start), c.Usage, err)
	return c, err
}

// Stream implements [ports.ChatModel].
func (mm *meteredModel) Stream(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	start := time.Now()
	first := true
	c, err := mm.next.Stream(ctx, call, func(d domain.Delta) error {
		if first {
			first = false
			mm.ttftOnce.Do(func() { mm.ttft = mm.m.upstreamTTFT.WithLabelValues(mm.name) })
			mm.ttft.Observe(time.Since(start).Seconds())
		}
		return emit(d)
	})
	mm.observe(time.Since(start), c.Usage, err)
	return c, err
}

// observeError records one failed upstream call (not on the hot path of
// successful calls, so its series are looked up by label each time).
func (m *Metrics) observeError(model string, d time.Duration, err error) {
	m.upstreamDuration.WithLabelValues(model).Observe(d.Seconds())
	kind := errorKind(err)
	outcome := outcomeError
	if kind == string(domain.LLMCanceled) {
		outcome = outcomeCanceled
	}
	m.upstreamRequests.WithLabelValues(model, outcome).Inc()
	m.upstreamErrors.WithLabelValues(model, kind).Inc()
}

// errorKind classifies an upstream error for the "kind" label.
func errorKind(err error) string {
	var llm *domain.LLMError
	switch {
	case errors.As(err, &llm) && llm.Kind != "":
		return string(llm.Kind)
	case errors.Is(err, context.Canceled):
		return string(domain.LLMCanceled)
	case errors.Is(err, context.DeadlineExceeded):
		return string(domain.LLMTimeout)
	default:
		return "unknown"
	}
}
