package app_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// autoFixture has four workers that reach every temperature source: alpha
// sets its own value, beta's model sets one, gamma explicitly turns auto
// off, and delta inherits the analyzer's auto flag.
func autoFixture(t *testing.T) (*fixture, map[string]*recorder) {
	f := newFixture(t)
	f.addModel(domain.ModelSpec{Name: "delta-llm"})
	f.spec(beta, func(s *domain.ModelSpec) { s.Temperature = domain.SomeFloat(0.9) })
	f.wf.Root = stdPlan(
		domain.ModelNode{Target: domain.Target{Model: alpha, Temperature: domain.SomeFloat(0.2)}},
		modelNode(beta),
		domain.ModelNode{Target: domain.Target{Model: gamma, AutoTemperature: domain.SomeBool(false)}},
		modelNode("delta-llm"),
	)
	f.wf.Root.Analyzer.AutoTemperature = domain.SomeBool(true)
	f.wf.Mode = domain.ModeSelect
	recs := map[string]*recorder{}
	for _, w := range []string{alpha, beta, gamma, "delta-llm"} {
		recs[w] = &recorder{}
		f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(recs[w].wrap(reply(w + " says"))).AnyTimes()
	}
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))
	return f, recs
}

func TestWorkerTemperaturesFollowThePolicy(t *testing.T) {
	t.Parallel()
	f, recs := autoFixture(t)
	var an recorder
	f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(an.wrap(reply(`{"temperature": 0.45, "task_type": "code", "reasoning": "precise"}`)))

	res, err := f.service().Complete(t.Context(), chatReq("write a parser"))
	require.NoError(t, err)
	want := map[string]domain.TemperatureChoice{
		alpha:       {Value: 0.2, Source: domain.TempFromNode},
		beta:        {Value: 0.9, Source: domain.TempFromModel},
		gamma:       {Value: domain.DefaultTemperature, Source: domain.TempFromDefault},
		"delta-llm": {Value: 0.45, Source: domain.TempFromAnalyzer},
	}
	for name, w := range want {
		require.Equal(t, domain.SomeFloat(w.Value), recs[name].calls[0].Params.Temperature, name)
		tr := workerByLabel(t, res.Trace, name)
		got := domain.TemperatureChoice{Value: tr.Call.Temperature, Source: tr.Call.TemperatureSource}
		require.Equal(t, w, got, name)
	}
	at := res.Trace.Analyzer
	require.Equal(t, domain.StatusOK, at.Status)
	require.Equal(t, domain.SomeFloat(0.45), at.SuggestedTemperature)
	require.Equal(t, "code", at.TaskType)
	require.Equal(t, "precise", at.Reasoning)
	require.Equal(t, domain.SomeFloat(domain.AnalyzerCallTemperature), an.calls[0].Params.Temperature)
	require.Contains(t, an.prompt(t), "write a parser")
}

func TestAnalyzerFailuresFallBackToTheDefault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply func(f *fixture)
	}{
		{"garbage reply", func(f *fixture) {
			f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("I cannot decide, sorry."))
		}},
		{"upstream error", func(f *fixture) {
			f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(analyst))
		}},
		{"timeout", func(f *fixture) {
			f.spec(analyst, func(s *domain.ModelSpec) { s.Timeouts.Analyzer = 20 * time.Millisecond })
			f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(blockUntilDone)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { // the timeout case runs on the bubble's fake clock
				f, recs := autoFixture(t)
				tc.reply(f)
				res, err := f.service().Complete(t.Context(), chatReq("q"))
				require.NoError(t, err)
				require.Equal(t, domain.StatusFallback, res.Trace.Analyzer.Status)
				require.NotEmpty(t, res.Trace.Analyzer.Error)
				require.False(t, res.Trace.Analyzer.SuggestedTemperature.Set)
				require.Equal(t, domain.SomeFloat(domain.DefaultTemperature), recs["delta-llm"].calls[0].Params.Temperature)
				require.Equal(t, domain.TempFromDefault, workerByLabel(t, res.Trace, "delta-llm").Call.TemperatureSource)
			})
		})
	}
}

func TestNoAnalyzerCallWhenNoWorkerNeedsIt(t *testing.T) {
	t.Parallel()
	f, _ := autoFixture(t)
	f.wf.Root.Workers = f.wf.Root.Workers[:3] // drop the inheriting worker; the analyst mock expects nothing
	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, domain.StatusSkipped, res.Trace.Analyzer.Status)
}
