package app_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

const referee = "referee-llm"

// workflowText is the synthesizer's answer, so the scripted judge can tell
// the workflow's answer apart.
const workflowText = "WORKFLOW ANSWER"

// memStore is an in-memory ports.EvalStore.
type memStore struct {
	mu sync.Mutex
	m  map[string]any
}

func newMemStore() *memStore { return &memStore{m: map[string]any{}} }

func (s *memStore) LoadAnswer(c, p, key string) (domain.EvalAnswer, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.m["a/"+c+"/"+p+"/"+key].(domain.EvalAnswer)
	return a, ok, nil
}

func (s *memStore) SaveAnswer(key string, a domain.EvalAnswer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m["a/"+a.Contestant+"/"+a.PromptID+"/"+key] = a
	return nil
}

func (s *memStore) LoadJudgement(o, p, key string) (domain.Judgement, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.m["j/"+o+"/"+p+"/"+key].(domain.Judgement)
	return j, ok, nil
}

func (s *memStore) SaveJudgement(o, p, key string, j domain.Judgement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m["j/"+o+"/"+p+"/"+key] = j
	return nil
}

// evalFixture scripts every model of the standard plan; calls counts them.
type evalFixture struct {
	*fixture
	calls atomic.Int64
}

func newEvalFixture(t *testing.T, verdict func(first, second string) string) *evalFixture {
	f := &evalFixture{fixture: newFixture(t)}
	f.addModel(domain.ModelSpec{Name: referee, Provider: domain.ProviderOpenAI})
	answer := func(text string) func(context.Context, domain.ModelCall) (domain.Completion, error) {
		return func(context.Context, domain.ModelCall) (domain.Completion, error) {
			f.calls.Add(1)
			return domain.Completion{Text: text, Usage: testUsage, Attempts: 1}, nil
		}
	}
	for _, m := range []string{alpha, beta, gamma} {
		f.m(m).Complete(gomock.Any(), gomock.Any()).DoAndReturn(answer(m + " alone")).AnyTimes()
	}
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(answer(`{"choice": "A", "reason": "best"}`)).AnyTimes()
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
		if strings.Contains(c.Messages[0].Content, "strongest draft") {
			return answer(workflowText)(ctx, c)
		}
		return answer(writer+" alone")(ctx, c)
	}).AnyTimes()
	f.m(referee).Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
		p := c.Messages[0].Content
		_, rest, _ := strings.Cut(p, "=== Answer 1 ===\n")
		first, second, _ := strings.Cut(rest, "=== Answer 2 ===\n")
		return answer(verdict(first, second))(ctx, c)
	}).AnyTimes()
	return f
}

func (f *evalFixture) evaluator(store ports.EvalStore, progress ports.EvalProgress) *app.Evaluator {
	f.t.Helper()
	res := mocks.NewMockModelResolver(f.ctrl)
	res.EXPECT().Resolve(gomock.Any()).DoAndReturn(func(name string) (ports.ChatModel, error) { return f.models[name], nil }).AnyTimes()
	ev, err := app.NewEvaluator(app.EvalDeps{Workflow: f.wf, Models: res, Judge: referee, Store: store, Progress: progress, Concurrency: 3})
	require.NoError(f.t, err)
	return ev
}

// favourWorkflow is a judge that always prefers the workflow's answer.
func favourWorkflow(first, _ string) string {
	if strings.Contains(first, workflowText) {
		return `{"verdict": "1", "reason": "the workflow's"}`
	}
	return "Answer 2 is better."
}

func evalPrompts(n int) []domain.EvalPrompt {
	ps := make([]domain.EvalPrompt, n)
	for i := range ps {
		ps[i] = domain.EvalPrompt{ID: string(rune('a' + i)), Messages: []domain.Message{{Role: domain.RoleUser, Content: "question " + string(rune('a'+i))}}}
	}
	return ps
}

func TestEvaluator_ScriptedJudgeFavouringTheWorkflowGivesItEveryPair(t *testing.T) {
	f := newEvalFixture(t, favourWorkflow)
	rep, err := f.evaluator(newMemStore(), nil).Run(context.Background(), evalPrompts(4))
	require.NoError(t, err)
	require.True(t, rep.Complete)
	names := []string{}
	for _, c := range rep.Contestants {
		names = append(names, c.Name)
	}
	require.Equal(t, []string{"chorus", alpha, beta, gamma, "chorus (select)", writer}, names)
	require.Len(t, rep.Opponents, 5)
	for _, o := range rep.Opponents {
		require.Equal(t, domain.PairTally{Wins: 4}, o.PairTally, o.Name)
		require.InDelta(t, 1.0, o.WinRate, 1e-12)
		require.InDelta(t, 0.5101, o.CILow, 1e-4, "Wilson lower bound of 4/4")
		require.InDelta(t, 1.0, o.CIHigh, 1e-12)
		require.Zero(t, o.PositionBias)
	}
	require.Equal(t, 2*4*5, rep.JudgeCalls)
	wf := rep.Contestants[0]
	require.Equal(t, 4, wf.Answers)
	require.Equal(t, 4*5, wf.Calls, "3 workers, selector and synthesizer per answer (analyzer skipped)")
	require.Equal(t, domain.Usage{InputTokens: 4 * 5 * 10, OutputTokens: 4 * 5 * 5}, wf.Usage)
	require.False(t, wf.Cost.Set, "no prices configured")
}

func TestEvaluator_AJudgeThatAlwaysPicksTheFirstAnswerIsAllPositionBias(t *testing.T) {
	f := newEvalFixture(t, func(string, string) string { return `{"verdict": 1}` })
	rep, err := f.evaluator(newMemStore(), nil).Run(context.Background(), evalPrompts(3))
	require.NoError(t, err)
	for _, o := range rep.Opponents {
		require.Equal(t, domain.PairTally{Ties: 3, Biased: 3}, o.PairTally)
		require.InDelta(t, 0.5, o.WinRate, 1e-12)
		require.InDelta(t, 1.0, o.PositionBias, 1e-12)
	}
}

func TestEvaluator_ARerunAsksNothingThatIsStored(t *testing.T) {
	f := newEvalFixture(t, favourWorkflow)
	store := newMemStore()
	first, err := f.evaluator(store, nil).Run(context.Background(), evalPrompts(2))
	require.NoError(t, err)
	asked := f.calls.Load()
	require.Positive(t, asked)
	var events []ports.EvalEvent
	second, err := f.evaluator(store, progressFunc(func(ev ports.EvalEvent) { events = append(events, ev) })).Run(context.Background(), evalPrompts(2))
	require.NoError(t, err)
	require.Equal(t, asked, f.calls.Load(), "the rerun made upstream calls")
	require.Equal(t, first.Opponents, second.Opponents)
	require.Len(t, events, 2*6+2*2*5)
	for _, ev := range events {
		require.True(t, ev.Cached, ev.Label)
	}
}

func TestEvaluator_PricesGiveACost(t *testing.T) {
	f := newEvalFixture(t, favourWorkflow)
	for _, m := range []string{alpha, beta, gamma, judge, writer, referee} {
		f.spec(m, func(s *domain.ModelSpec) {
			s.PriceInputPerMTok, s.PriceOutputPerMTok = domain.SomeFloat(1), domain.SomeFloat(2)
		})
	}
	rep, err := f.evaluator(newMemStore(), nil).Run(context.Background(), evalPrompts(1))
	require.NoError(t, err)
	require.True(t, rep.Contestants[1].Cost.Set)
	require.InDelta(t, (10*1.0+5*2.0)/1e6, rep.Contestants[1].Cost.Value, 1e-15)
	require.InDelta(t, 5*(10*1.0+5*2.0)/1e6, rep.Contestants[0].Cost.Value, 1e-15)
}

func TestEvaluator_UnknownJudgeIsRejected(t *testing.T) {
	f := newFixture(t)
	_, err := app.NewEvaluator(app.EvalDeps{Workflow: f.wf, Models: mocks.NewMockModelResolver(f.ctrl), Judge: "nobody", Store: newMemStore()})
	require.ErrorIs(t, err, domain.ErrUnknownModel)
}

type progressFunc func(ports.EvalEvent)

func (p progressFunc) Progress(ev ports.EvalEvent) { p(ev) }

func TestEvaluator_TheAdaptiveConfigurationIsAnotherRow(t *testing.T) {
	f := newEvalFixture(t, favourWorkflow)
	f.wf.Routing = domain.Routing{EasyTo: alpha, Threshold: domain.DifficultyTrivial}
	f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
		f.calls.Add(1)
		return domain.Completion{Text: `{"temperature": 0.2, "difficulty": "trivial"}`, Usage: testUsage, Attempts: 1}, nil
	}).AnyTimes()
	rep, err := f.evaluator(newMemStore(), nil).Run(context.Background(), evalPrompts(3))
	require.NoError(t, err)
	adaptive := rep.Contestants[len(rep.Contestants)-1]
	require.Equal(t, domain.Contestant{Name: "chorus (adaptive)", Kind: domain.ContestantAdaptive}, adaptive.Contestant)
	require.Equal(t, 3, adaptive.Routed)
	require.Equal(t, 2*3, adaptive.Calls, "the analyzer and the routed call per answer")
	require.Equal(t, 5*3, rep.Contestants[0].Calls, "the workflow row runs with routing off")
	last := rep.Opponents[len(rep.Opponents)-1]
	require.Equal(t, "chorus (adaptive)", last.Name)
	require.Equal(t, 3, last.Wins, "the scripted judge prefers the full workflow")
}
