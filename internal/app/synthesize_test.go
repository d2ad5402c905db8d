package app_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestSynthesizerFailuresFallBackToTheSelectedCandidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(*fixture)
	}{
		{"upstream error", func(f *fixture) {
			f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(writer))
		}},
		{"empty answer", func(f *fixture) {
			f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("  "))
		}},
		{"timeout", func(f *fixture) {
			f.spec(writer, func(s *domain.ModelSpec) { s.Timeouts.Synthesizer = 20 * time.Millisecond })
			f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(blockUntilDone)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { // the timeout case runs on the bubble's fake clock
				f := newFixture(t)
				standardWorkers(f)
				f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"B"}`))
				tc.setup(f)
				res, err := f.service().Complete(t.Context(), chatReq("q"))
				require.NoError(t, err)
				require.Equal(t, "beta says", res.Text)
				require.Equal(t, domain.StatusFallback, res.Trace.Synthesizer.Status)
				require.NotEmpty(t, res.Trace.Synthesizer.Error)
			})
		})
	}
}

func TestSelectModeMakesNoSynthesizerCall(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.wf.Mode = domain.ModeSelect
	standardWorkers(f)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"C"}`)) // writer expects no call

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, "gamma says", res.Text)
	require.Equal(t, domain.StatusSkipped, res.Trace.Synthesizer.Status)
	require.Equal(t, domain.ModeSelect, res.Trace.Mode)
}

func TestStageTemperaturesComeFromNodeThenModel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.wf.Root.Synthesizer.Temperature = domain.SomeFloat(0.15)
	f.spec(judge, func(s *domain.ModelSpec) { s.Temperature = domain.SomeFloat(0.05) })
	standardWorkers(f)
	var sel, synth recorder
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(sel.wrap(reply(`{"choice":"A"}`)))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(synth.wrap(reply("final")))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, domain.SomeFloat(0.05), sel.calls[0].Params.Temperature)
	require.Equal(t, domain.TempFromModel, res.Trace.Selector.TemperatureSource)
	require.Equal(t, domain.SomeFloat(0.15), synth.calls[0].Params.Temperature)
	require.Equal(t, domain.TempFromNode, res.Trace.Synthesizer.TemperatureSource)
}
