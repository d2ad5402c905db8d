package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

// Model names used by the tests; worker names are distinctive so that a
// leak into a prompt is easy to detect.
const (
	analyst = "analyst-llm"
	judge   = "judge-llm"
	writer  = "writer-llm"
	alpha   = "alpha-llm"
	beta    = "beta-llm"
	gamma   = "gamma-llm"
)

// waitLimit bounds every blocking wait in the tests.
const waitLimit = 3 * time.Second

// fixture is a workflow over mocked models.
type fixture struct {
	t      *testing.T
	ctrl   *gomock.Controller
	models map[string]*mocks.MockChatModel
	wf     domain.Workflow
}

// newFixture configures the standard models and the standard plan:
// analyst → alpha, beta, gamma → judge → writer. Progress lines are off so
// that stream tests see only content; progress_test.go turns them on.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, ctrl: gomock.NewController(t), models: map[string]*mocks.MockChatModel{},
		wf: domain.Workflow{Name: "chorus", Models: map[string]domain.ModelSpec{}, Progress: domain.ProgressOff}}
	for _, n := range []string{analyst, judge, writer, alpha, beta, gamma} {
		f.addModel(domain.ModelSpec{Name: n, Provider: domain.ProviderOpenAI})
	}
	f.wf.Root = stdPlan(modelNode(alpha), modelNode(beta), modelNode(gamma))
	return f
}

func (f *fixture) addModel(spec domain.ModelSpec) *mocks.MockChatModel {
	m := mocks.NewMockChatModel(f.ctrl)
	f.models[spec.Name] = m
	f.wf.Models[spec.Name] = spec
	f.wf.ModelOrder = append(f.wf.ModelOrder, spec.Name)
	return m
}

// spec edits a configured model.
func (f *fixture) spec(name string, edit func(*domain.ModelSpec)) {
	s := f.wf.Models[name]
	edit(&s)
	f.wf.Models[name] = s
}

func (f *fixture) m(name string) *mocks.MockChatModelMockRecorder { return f.models[name].EXPECT() }

func (f *fixture) service(opts ...func(*app.Deps)) *app.Service {
	f.t.Helper()
	res := mocks.NewMockModelResolver(f.ctrl)
	res.EXPECT().Resolve(gomock.Any()).DoAndReturn(func(name string) (ports.ChatModel, error) {
		if m, ok := f.models[name]; ok {
			return m, nil
		}
		return nil, fmt.Errorf("%w: %s", domain.ErrUnknownModel, name)
	}).AnyTimes()
	deps := app.Deps{Workflow: f.wf, Models: res}
	for _, o := range opts {
		o(&deps)
	}
	s, err := app.NewService(deps)
	require.NoError(f.t, err)
	return s
}

func stdPlan(workers ...domain.Node) *domain.Plan {
	return &domain.Plan{
		Analyzer:    domain.Target{Model: analyst},
		Workers:     workers,
		Selector:    &domain.Target{Model: judge},
		Synthesizer: &domain.Target{Model: writer},
	}
}

func modelNode(name string) domain.ModelNode {
	return domain.ModelNode{Target: domain.Target{Model: name}}
}

var testUsage = domain.Usage{InputTokens: 10, OutputTokens: 5}

// reply answers every call with text and testUsage.
func reply(text string) func(context.Context, domain.ModelCall) (domain.Completion, error) {
	return func(context.Context, domain.ModelCall) (domain.Completion, error) {
		return domain.Completion{Text: text, Usage: testUsage, Attempts: 1}, nil
	}
}

// fail answers every call with an upstream error.
func fail(model string) func(context.Context, domain.ModelCall) (domain.Completion, error) {
	return func(context.Context, domain.ModelCall) (domain.Completion, error) {
		return domain.Completion{}, &domain.LLMError{Model: model, Kind: domain.LLMStatus, Status: 500, Message: "boom", Attempts: 2}
	}
}

// blockUntilDone waits for the call's context to end and returns its error.
func blockUntilDone(ctx context.Context, _ domain.ModelCall) (domain.Completion, error) {
	select {
	case <-ctx.Done():
		return domain.Completion{}, ctx.Err()
	case <-time.After(waitLimit):
		return domain.Completion{}, fmt.Errorf("context never ended")
	}
}

// recorder keeps every call a mock received.
type recorder struct {
	mu    sync.Mutex
	calls []domain.ModelCall
}

func (r *recorder) wrap(next func(context.Context, domain.ModelCall) (domain.Completion, error)) func(context.Context, domain.ModelCall) (domain.Completion, error) {
	return func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
		r.mu.Lock()
		r.calls = append(r.calls, c)
		r.mu.Unlock()
		return next(ctx, c)
	}
}

func (r *recorder) prompt(t *testing.T) string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Len(t, r.calls, 1)
	require.Len(t, r.calls[0].Messages, 1)
	return r.calls[0].Messages[0].Content
}

// barrier releases its callers once n of them have arrived.
type barrier struct {
	mu   sync.Mutex
	n    int
	all  chan struct{}
	seen int
}

func newBarrier(n int) *barrier { return &barrier{n: n, all: make(chan struct{})} }

func (b *barrier) arrive() error {
	b.mu.Lock()
	b.seen++
	if b.seen == b.n {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
		return nil
	case <-time.After(waitLimit):
		return fmt.Errorf("only %d of %d callers arrived", b.seen, b.n)
	}
}

func chatReq(text string) domain.ChatRequest {
	return domain.ChatRequest{Model: "chorus", Messages: []domain.Message{{Role: domain.RoleUser, Content: text}}}
}

func workerByLabel(t *testing.T, tr *domain.ExecutionTrace, label string) domain.WorkerTrace {
	t.Helper()
	for _, w := range tr.Workers {
		if w.Label == label {
			return w
		}
	}
	require.Failf(t, "no worker", "label %s", label)
	return domain.WorkerTrace{}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
