package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

// histogram returns the gathered histogram of name whose labels include all
// of want, or fails the test.
func histogram(t *testing.T, m *Metrics, name string, want map[string]string) *dto.Histogram {
	t.Helper()
	families, err := m.registry.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, metric := range f.GetMetric() {
			if hasLabels(metric, want) {
				return metric.GetHistogram()
			}
		}
	}
	t.Fatalf("no %s with labels %v", name, want)
	return nil
}

func hasLabels(metric *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, lp := range metric.GetLabel() {
		got[lp.GetName()] = lp.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

func TestMetrics_ObserveRequest(t *testing.T) {
	m := NewMetrics()
	m.ObserveRequest("/v1/chat/completions", http.MethodPost, 200, 250*time.Millisecond)
	m.ObserveRequest("/v1/chat/completions", http.MethodPost, 200, 750*time.Millisecond)
	m.ObserveRequest("/v1/chat/completions", http.MethodPost, 502, time.Second)

	t.Run("requests are counted by route, method and status", func(t *testing.T) {
		require.InDelta(t, 2, testutil.ToFloat64(m.httpRequests.WithLabelValues("/v1/chat/completions", "POST", "200")), 0)
		require.InDelta(t, 1, testutil.ToFloat64(m.httpRequests.WithLabelValues("/v1/chat/completions", "POST", "502")), 0)
	})
	t.Run("latency is observed in seconds", func(t *testing.T) {
		h := histogram(t, m, "chorus_http_request_duration_seconds", map[string]string{"status": "200"})
		require.Equal(t, uint64(2), h.GetSampleCount())
		require.InDelta(t, 1.0, h.GetSampleSum(), 1e-9)
	})
}

func TestMetrics_Handler(t *testing.T) {
	m := NewMetrics()
	m.ObserveRequest("/api/chat", http.MethodPost, 200, time.Millisecond)
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)

	t.Run("the exposition holds chorus, go and process metrics", func(t *testing.T) {
		resp, err := http.Get(srv.URL)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		text := string(body)
		require.Contains(t, text, `chorus_http_requests_total{method="POST",route="/api/chat",status="200"} 1`)
		require.Contains(t, text, "go_goroutines ")
		require.Contains(t, text, "process_cpu_seconds_total ")
		require.Contains(t, text, "chorus_workflows_in_flight 0")
	})
	t.Run("a second registry does not share state", func(t *testing.T) {
		other := NewMetrics()
		require.InDelta(t, 0, testutil.ToFloat64(other.httpRequests.WithLabelValues("/api/chat", "POST", "200")), 0)
	})
}

func TestMetrics_WrapModel(t *testing.T) {
	call := domain.ModelCall{Model: "gpt-a"}
	tests := []struct {
		name        string
		completion  domain.Completion
		err         error
		wantOutcome string
		wantKind    string // "" when no error is expected
	}{
		{
			name:        "a successful call counts ok and its tokens",
			completion:  domain.Completion{Text: "hi", Usage: domain.Usage{InputTokens: 12, OutputTokens: 30}},
			wantOutcome: "ok",
		},
		{
			name:        "an upstream status error is counted by kind",
			err:         &domain.LLMError{Model: "gpt-a", Kind: domain.LLMStatus, Status: 503},
			wantOutcome: "error",
			wantKind:    "status",
		},
		{
			name:        "a wrapped timeout is counted by kind",
			err:         errors.Join(errors.New("worker"), &domain.LLMError{Kind: domain.LLMTimeout}),
			wantOutcome: "error",
			wantKind:    "timeout",
		},
		{
			name:        "a canceled call has its own outcome",
			err:         &domain.LLMError{Kind: domain.LLMCanceled},
			wantOutcome: "canceled",
			wantKind:    "canceled",
		},
		{
			name:        "an untyped error is unknown",
			err:         errors.New("boom"),
			wantOutcome: "error",
			wantKind:    "unknown",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMetrics()
			next := mocks.NewMockChatModel(gomock.NewController(t))
			next.EXPECT().Complete(gomock.Any(), call).Return(tt.completion, tt.err)

			got, err := m.WrapModel("gpt-a", next).Complete(context.Background(), call)
			require.Equal(t, tt.err, err)
			require.Equal(t, tt.completion, got)

			require.InDelta(t, 1, testutil.ToFloat64(m.upstreamRequests.WithLabelValues("gpt-a", tt.wantOutcome)), 0)
			require.Equal(t, uint64(1), histogram(t, m, "chorus_upstream_request_duration_seconds",
				map[string]string{"model": "gpt-a"}).GetSampleCount())
			if tt.wantKind != "" {
				require.InDelta(t, 1, testutil.ToFloat64(m.upstreamErrors.WithLabelValues("gpt-a", tt.wantKind)), 0)
				require.Equal(t, 0, testutil.CollectAndCount(m.tokenUsage))
				return
			}
			require.Equal(t, 0, testutil.CollectAndCount(m.upstreamErrors))
			for typ, n := range map[string]int{"input": 12, "output": 30} {
				h := histogram(t, m, "gen_ai_client_token_usage", map[string]string{
					"gen_ai_token_type": typ, "gen_ai_request_model": "gpt-a", "gen_ai_operation_name": "chat",
				})
				require.Equal(t, uint64(1), h.GetSampleCount())
				require.InDelta(t, float64(n), h.GetSampleSum(), 0)
				require.InDelta(t, float64(n), testutil.ToFloat64(m.tokens.WithLabelValues("gpt-a", typ)), 0)
			}
		})
	}
}

func TestMetrics_WrapModelStream(t *testing.T) {
	m := NewMetrics()
	call := domain.ModelCall{Model: "llama"}
	next := mocks.NewMockChatModel(gomock.NewController(t))
	next.EXPECT().Stream(gomock.Any(), call, gomock.Any()).DoAndReturn(
		func(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			for _, s := range []string{"a", "b"} {
				if err := emit(domain.Delta{Text: s}); err != nil {
					return domain.Completion{}, err
				}
			}
			return domain.Completion{Text: "ab", Usage: domain.Usage{InputTokens: 5, OutputTokens: 2}}, nil
		})

	var relayed []string
	got, err := m.WrapModel("llama", next).Stream(context.Background(), call, func(d domain.Delta) error {
		relayed = append(relayed, d.Text)
		return nil
	})
	require.NoError(t, err)

	t.Run("deltas and the completion pass through unchanged", func(t *testing.T) {
		require.Equal(t, []string{"a", "b"}, relayed)
		require.Equal(t, "ab", got.Text)
	})
	t.Run("the call, its first chunk and its tokens are recorded once", func(t *testing.T) {
		require.InDelta(t, 1, testutil.ToFloat64(m.upstreamRequests.WithLabelValues("llama", "ok")), 0)
		require.Equal(t, uint64(1), histogram(t, m, "chorus_upstream_time_to_first_chunk_seconds",
			map[string]string{"model": "llama"}).GetSampleCount())
		require.InDelta(t, 2, testutil.ToFloat64(m.tokens.WithLabelValues("llama", "output")), 0)
	})
}

func TestMetrics_WrapGateway(t *testing.T) {
	models := []domain.ModelInfo{{Name: "chorus", IsWorkflow: true}, {Name: "gpt-a", Provider: "openai"}}
	tests := []struct {
		name         string
		model        string
		stream       bool
		wantWorkflow float64
		wantPass     float64
	}{
		{name: "a workflow request is in flight while Complete runs", model: "chorus", wantWorkflow: 1},
		{name: "an unknown model name also runs the workflow", model: "anything", wantWorkflow: 1},
		{name: "a streamed workflow is in flight while Stream runs", model: "chorus", stream: true, wantWorkflow: 1},
		{name: "a configured model name counts as passthrough", model: "gpt-a", wantPass: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMetrics()
			next := mocks.NewMockGateway(gomock.NewController(t))
			next.EXPECT().Models().Return(models).AnyTimes()
			var during [2]float64
			observe := func() {
				during = [2]float64{testutil.ToFloat64(m.workflowsInFlight), testutil.ToFloat64(m.passthroughInFlight)}
			}
			req := domain.ChatRequest{Model: tt.model, Stream: tt.stream}
			gw := m.WrapGateway(next)
			var err error
			if tt.stream {
				next.EXPECT().Stream(gomock.Any(), req, gomock.Any()).DoAndReturn(
					func(context.Context, domain.ChatRequest, func(domain.StreamEvent) error) (domain.ChatResult, error) {
						observe()
						return domain.ChatResult{}, nil
					})
				_, err = gw.Stream(context.Background(), req, func(domain.StreamEvent) error { return nil })
			} else {
				next.EXPECT().Complete(gomock.Any(), req).DoAndReturn(
					func(context.Context, domain.ChatRequest) (domain.ChatResult, error) {
						observe()
						return domain.ChatResult{}, errors.New("upstream")
					})
				_, err = gw.Complete(context.Background(), req)
			}
			require.Equal(t, tt.stream, err == nil)
			require.Equal(t, [2]float64{tt.wantWorkflow, tt.wantPass}, during)
			require.InDelta(t, 0, testutil.ToFloat64(m.workflowsInFlight), 0, "gauge lowered afterwards")
			require.InDelta(t, 0, testutil.ToFloat64(m.passthroughInFlight), 0, "gauge lowered afterwards")
			require.Equal(t, models, gw.Models())
		})
	}
}

func TestMetrics_namesFollowPrometheusRules(t *testing.T) {
	m := NewMetrics()
	problems, err := testutil.GatherAndLint(m.registry)
	require.NoError(t, err)
	var msgs []string
	for _, p := range problems {
		// gen_ai_client_token_usage keeps the OpenTelemetry name on purpose.
		if !strings.HasPrefix(p.Metric, "gen_ai_") {
			msgs = append(msgs, p.Metric+": "+p.Text)
		}
	}
	require.Empty(t, msgs)
}
