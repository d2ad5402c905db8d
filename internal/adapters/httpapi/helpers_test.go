package httpapi

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

// testModels is what the mocked gateway lists.
var testModels = []domain.ModelInfo{
	{Name: "chorus", IsWorkflow: true, Tools: true, Vision: true},
	{Name: "gpt-x", Provider: domain.ProviderOpenAI, Tools: true, Vision: true},
	{Name: "llama", Provider: domain.ProviderOllama, Tools: true},
}

// newTestServer returns a server over a mocked gateway; tweak adjusts options.
func newTestServer(t *testing.T, tweak ...func(*Options)) (*Server, *mocks.MockGateway) {
	t.Helper()
	gw := mocks.NewMockGateway(gomock.NewController(t))
	gw.EXPECT().Models().Return(testModels).AnyTimes()
	opts := Options{Gateway: gw, Logger: zerolog.New(io.Discard), Version: "test"}
	for _, f := range tweak {
		f(&opts)
	}
	s, err := New(opts)
	require.NoError(t, err)
	return s, gw
}

// serve sends one request through the whole Echo stack and, for every JSON
// response, checks it against api/openapi.yaml; every answer of an OpenAI or
// Ollama route (streams included) is also checked against the official
// documents.
func serve(t *testing.T, s *Server, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	checkContract(t, method, path, body, rec)
	checkOfficial(t, method, req.URL.Path, rec)
	return rec
}

// sampleTrace is a two-worker trace with a nested plan.
func sampleTrace() *domain.ExecutionTrace {
	call := func(model string) domain.CallTrace {
		return domain.CallTrace{Model: model, Temperature: 0.7, TemperatureSource: domain.TempFromNode,
			Duration: 1500 * time.Microsecond, Status: domain.StatusOK, Usage: domain.Usage{InputTokens: 3, OutputTokens: 4}, Attempts: 1}
	}
	return &domain.ExecutionTrace{
		WorkflowID: "wf-1", Plan: "synth", Mode: domain.ModeSynthesize, Duration: 20 * time.Millisecond, Status: domain.StatusOK,
		Analyzer: &domain.AnalyzerTrace{CallTrace: call("ana"), SuggestedTemperature: domain.SomeFloat(0.9), TaskType: "code"},
		Workers: []domain.WorkerTrace{
			{Label: "w1", Call: call("w1"), Response: "one"},
			{Label: "workflow:inner", Call: domain.CallTrace{Status: domain.StatusError, Error: "boom"},
				Nested: &domain.ExecutionTrace{WorkflowID: "wf-1", Plan: "inner", Status: domain.StatusError, Error: "boom"}},
		},
		Selector:    &domain.SelectorTrace{CallTrace: call("sel"), SelectedIndex: 1, SelectedLabel: "Response A", SelectedNode: "w1"},
		Synthesizer: &domain.SynthesizerTrace{CallTrace: call("syn")},
		Usage:       domain.Usage{InputTokens: 12, OutputTokens: 16},
	}
}

// result is a finished answer with a trace.
func result(text string) domain.ChatResult {
	return domain.ChatResult{Model: "chorus", Text: text, FinishReason: domain.FinishStop,
		Usage: domain.Usage{InputTokens: 5, OutputTokens: 7}, Trace: sampleTrace(), WorkflowID: "wf-1"}
}

// streamOf makes a Gateway.Stream implementation emitting events, then
// returning res and err.
func streamOf(events []domain.StreamEvent, res domain.ChatResult, err error) func(context.Context, domain.ChatRequest, func(domain.StreamEvent) error) (domain.ChatResult, error) {
	return func(_ context.Context, _ domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error) {
		for _, ev := range events {
			if e := emit(ev); e != nil {
				return domain.ChatResult{}, e
			}
		}
		return res, err
	}
}

// deltas turns texts into content events.
func deltas(texts ...string) []domain.StreamEvent {
	out := make([]domain.StreamEvent, len(texts))
	for i, t := range texts {
		out[i] = domain.StreamEvent{Delta: domain.Delta{Text: t}}
	}
	return out
}

// keepAlive is a keep-alive tick.
var keepAlive = domain.StreamEvent{KeepAlive: true}

// captureReq stores the request the gateway saw.
func captureReq(dst *domain.ChatRequest, res domain.ChatResult) func(context.Context, domain.ChatRequest) (domain.ChatResult, error) {
	return func(_ context.Context, r domain.ChatRequest) (domain.ChatResult, error) {
		*dst = r
		return res, nil
	}
}

// contentType returns the media type of a response.
func contentType(rec *httptest.ResponseRecorder) string {
	ct, _, _ := strings.Cut(rec.Header().Get("Content-Type"), ";")
	return strings.TrimSpace(ct)
}

// newBenchGateway returns a mocked gateway for benchmarks.
func newBenchGateway(b *testing.B) *mocks.MockGateway {
	return mocks.NewMockGateway(gomock.NewController(b))
}

// eachWorkflowFlag runs f as two subtests, without and with include_workflow.
func eachWorkflowFlag(t *testing.T, f func(t *testing.T, withWorkflow bool)) {
	t.Helper()
	for _, withWorkflow := range []bool{false, true} {
		name := "without include_workflow has no workflow key"
		if withWorkflow {
			name = "with include_workflow carries the trace"
		}
		t.Run(name, func(t *testing.T) { f(t, withWorkflow) })
	}
}

// requireWorkflowKey asserts that obj has a "workflow" key exactly when want.
func requireWorkflowKey(t *testing.T, want bool, obj map[string]any) {
	t.Helper()
	_, has := obj["workflow"]
	require.Equal(t, want, has)
}
