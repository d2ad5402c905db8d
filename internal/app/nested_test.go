package app_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

const innerWriter = "inner-writer-llm"

// nestedFixture: root workers are alpha and a sub-workflow of beta and
// gamma with its own synthesizer.
func nestedFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.addModel(domain.ModelSpec{Name: innerWriter, Provider: domain.ProviderOllama})
	inner := stdPlan(modelNode(beta), modelNode(gamma))
	inner.Synthesizer = &domain.Target{Model: innerWriter}
	f.wf.Root = stdPlan(modelNode(alpha), domain.SubWorkflowNode{Plan: inner})
	return f
}

// judgeFirst makes the judge pick Response A every time.
func judgeFirst(f *fixture) {
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`)).AnyTimes()
}

func TestSubWorkflowContributesItsAnswer(t *testing.T) {
	t.Parallel()
	f := nestedFixture(t)
	standardWorkers(f)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"B"}`)).Times(2)
	f.m(innerWriter).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("inner synthesis"))
	var synth recorder
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(synth.wrap(reply("final")))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, "final", res.Text)
	sub := workerByLabel(t, res.Trace, "workflow:"+innerWriter)
	require.Equal(t, "inner synthesis", sub.Response)
	require.NotNil(t, sub.Nested)
	require.Equal(t, innerWriter, sub.Nested.Plan)
	require.Len(t, sub.Nested.Workers, 2)
	require.Equal(t, gamma, sub.Nested.Selector.SelectedNode)
	require.Equal(t, domain.Usage{InputTokens: 40, OutputTokens: 20}, sub.Call.Usage, "2 workers + selector + synthesizer")
	require.Equal(t, domain.Usage{InputTokens: 70, OutputTokens: 35}, res.Usage, "nested 4 calls + alpha + selector + synthesizer")
	require.Equal(t, res.Usage, res.Trace.Usage)
	require.Contains(t, synth.prompt(t), "=== Response B ===\ninner synthesis", "the selected nested answer comes first")
	require.GreaterOrEqual(t, sub.Nested.Start, sub.Call.Start)
}

func TestAFailedSubWorkflowKeepsItsTrace(t *testing.T) {
	t.Parallel()
	f := nestedFixture(t)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("alpha says"))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(beta))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(gamma))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	sub := workerByLabel(t, res.Trace, "workflow:"+innerWriter)
	require.Equal(t, domain.StatusError, sub.Call.Status)
	require.Contains(t, sub.Call.Error, "All worker models failed")
	require.NotNil(t, sub.Nested)
	require.Len(t, sub.Nested.Workers, 2)
	require.Equal(t, domain.StatusError, sub.Nested.Workers[0].Call.Status)
	require.Equal(t, domain.StatusSkipped, res.Trace.Selector.Status, "alpha is the only candidate")
}

// wrapTwice replaces each model worker W by
// plan{[plan{[W, W]}, plan{[W, W]}]}, as nested_worker_depth = 3 does.
func wrapTwice(p *domain.Plan) {
	wrap := func(n domain.Node) domain.Node {
		w := stdPlan(n, n)
		return domain.SubWorkflowNode{Plan: w}
	}
	for i, n := range p.Workers {
		p.Workers[i] = wrap(wrap(n))
	}
}

func TestDepthThreeExpansionMakesFourTimesTheWorkerCalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	wrapTwice(f.wf.Root)
	var calls [3]atomic.Int32
	for i, w := range []string{alpha, beta, gamma} {
		f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
			calls[i].Add(1)
			return domain.Completion{Text: c.Model + " says", Usage: testUsage}, nil
		}).AnyTimes()
	}
	judgeFirst(f)
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
		best := strings.SplitN(strings.SplitN(c.Messages[0].Content, "=== Response A ===\n", 2)[1], "\n", 2)[0]
		return domain.Completion{Text: best, Usage: testUsage}, nil
	}).AnyTimes()

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	for i := range calls {
		require.Equal(t, int32(4), calls[i].Load())
	}
	require.Equal(t, "alpha-llm says", res.Text)
	require.NotNil(t, res.Trace.Workers[0].Nested.Workers[0].Nested)
	// 1+3+6 plans: 12 worker calls, 10 selector and 10 synthesizer calls.
	require.Equal(t, domain.Usage{InputTokens: 320, OutputTokens: 160}, res.Usage)
}
