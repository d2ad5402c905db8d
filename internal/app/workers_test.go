package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestWorkflowAnswersWithTheSynthesisAndSumsUsage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("alpha says"))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("beta says"))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("gamma says"))
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice": "B", "reason": "more complete"}`))
	var synth recorder
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(synth.wrap(reply("the final answer")))

	res, err := f.service().Complete(t.Context(), chatReq("question?"))
	require.NoError(t, err)
	require.Equal(t, "the final answer", res.Text)
	require.Equal(t, "chorus", res.Model)
	require.Equal(t, domain.FinishStop, res.FinishReason)
	require.Len(t, res.WorkflowID, 32)
	require.Equal(t, domain.Usage{InputTokens: 50, OutputTokens: 25}, res.Usage, "3 workers + selector + synthesizer")
	tr := res.Trace
	require.Equal(t, domain.StatusOK, tr.Status)
	require.Equal(t, domain.StatusSkipped, tr.Analyzer.Status, "no worker needs an auto temperature")
	require.Equal(t, []string{alpha, beta, gamma}, []string{tr.Workers[0].Label, tr.Workers[1].Label, tr.Workers[2].Label})
	for _, w := range tr.Workers {
		require.Equal(t, domain.StatusOK, w.Call.Status)
		require.Equal(t, testUsage, w.Call.Usage)
		require.Equal(t, 1, w.Call.Attempts)
	}
	require.Equal(t, 2, tr.Selector.SelectedIndex)
	require.Equal(t, "Response B", tr.Selector.SelectedLabel)
	require.Equal(t, beta, tr.Selector.SelectedNode)
	require.Equal(t, "more complete", tr.Selector.Reasoning)
	require.Equal(t, domain.StatusOK, tr.Synthesizer.Status)
	require.InDelta(t, domain.SynthesizerCallTemperature, tr.Synthesizer.Temperature, 0)

	prompt := synth.prompt(t)
	require.Less(t, strings.Index(prompt, "beta says"), strings.Index(prompt, "alpha says"), "the selected candidate comes first")
	require.Contains(t, prompt, "more complete")
	require.False(t, containsAny(prompt, alpha, beta, gamma), "no model names in the synthesizer prompt")
}

func TestWorkersGetTheWholeConversation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.wf.Root = stdPlan(modelNode(alpha))
	convo := []domain.Message{
		{Role: domain.RoleSystem, Content: "be terse"},
		{Role: domain.RoleUser, Content: "first question"},
		{Role: domain.RoleAssistant, Content: "first answer"},
		{Role: domain.RoleUser, Content: "follow-up"},
	}
	var got recorder
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(got.wrap(reply("ok")))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

	_, err := f.service().Complete(t.Context(), domain.ChatRequest{Messages: convo})
	require.NoError(t, err)
	require.Len(t, got.calls, 1)
	require.Equal(t, convo, got.calls[0].Messages)
	require.True(t, got.calls[0].Params.Temperature.Set)
}

func TestWorkersRunConcurrently(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	b := newBarrier(3)
	meet := func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
		if err := b.arrive(); err != nil {
			return domain.Completion{}, err
		}
		return domain.Completion{Text: c.Model + " done", Usage: testUsage}, nil
	}
	for _, w := range []string{alpha, beta, gamma} {
		f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(meet)
	}
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	for _, w := range res.Trace.Workers {
		require.Equal(t, domain.StatusOK, w.Call.Status, w.Call.Error)
	}
}

func TestMaxConcurrencyBoundsWorkerCalls(t *testing.T) {
	t.Parallel()
	// Inside the bubble the simulated latency is fake time: it passes only
	// once every worker goroutine is blocked (on the latency or on a slot),
	// so the peak is exact however busy the machine is.
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.wf.MaxConcurrency = 2
		names := []string{alpha, beta, gamma, "delta-llm", "epsilon-llm"}
		var mu sync.Mutex
		inFlight, peak := 0, 0
		work := func(ctx context.Context, c domain.ModelCall) (domain.Completion, error) {
			mu.Lock()
			inFlight++
			peak = max(peak, inFlight)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond) // simulated latency so that unbounded calls would overlap
			mu.Lock()
			inFlight--
			mu.Unlock()
			return domain.Completion{Text: "ok " + c.Model}, nil
		}
		var nodes []domain.Node
		for _, n := range names {
			if _, ok := f.models[n]; !ok {
				f.addModel(domain.ModelSpec{Name: n})
			}
			f.m(n).Complete(gomock.Any(), gomock.Any()).DoAndReturn(work)
			nodes = append(nodes, modelNode(n))
		}
		f.wf.Root = stdPlan(nodes...)
		f.wf.Mode = domain.ModeSelect
		f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))

		_, err := f.service().Complete(t.Context(), chatReq("q"))
		require.NoError(t, err)
		require.Equal(t, 2, peak)
	})
}

func TestOneFailingWorkerDoesNotFailTheWorkflow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(alpha))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("beta says"))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("gamma says"))
	var sel recorder
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(sel.wrap(reply(`{"choice":"A"}`)))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	a := workerByLabel(t, res.Trace, alpha)
	require.Equal(t, domain.StatusError, a.Call.Status)
	require.Contains(t, a.Call.Error, "boom")
	require.Equal(t, 2, a.Call.Attempts)
	require.Equal(t, beta, res.Trace.Selector.SelectedNode, "Response A is the first successful worker")
	require.NotContains(t, sel.prompt(t), "Response C", "failed workers are not candidates")
}

func TestAllWorkersFailingListsEveryWorker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, w := range []string{alpha, beta, gamma} {
		f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(w))
	}
	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.ErrorIs(t, err, domain.ErrAllWorkersFailed)
	var all *domain.AllWorkersFailedError
	require.ErrorAs(t, err, &all)
	require.Len(t, all.Failures, 3)
	require.True(t, strings.HasPrefix(err.Error(), "All worker models failed"))
	for _, w := range []string{alpha, beta, gamma} {
		require.Contains(t, err.Error(), w)
	}
	require.Equal(t, domain.StatusError, res.Trace.Status)
	require.Nil(t, res.Trace.Selector)
}

func TestAWorkerTimeoutIsRecordedAndOthersSucceed(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.spec(beta, func(s *domain.ModelSpec) { s.Timeouts.Worker = 30 * time.Millisecond })
		f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("alpha says"))
		f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(blockUntilDone)
		f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("gamma says"))
		f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"B"}`))
		f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

		res, err := f.service().Complete(t.Context(), chatReq("q"))
		require.NoError(t, err)
		b := workerByLabel(t, res.Trace, beta)
		require.Equal(t, domain.StatusTimeout, b.Call.Status)
		require.Contains(t, b.Call.Error, "timeout")
		require.Equal(t, domain.StatusOK, workerByLabel(t, res.Trace, alpha).Call.Status)
		require.Equal(t, gamma, res.Trace.Selector.SelectedNode)
	})
}
