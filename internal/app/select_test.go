package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func standardWorkers(f *fixture) {
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("alpha says"))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("beta says"))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("gamma says"))
}

func TestSelectorSeesNeutralLabelsOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	standardWorkers(f)
	var sel recorder
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(sel.wrap(reply(`{"choice":"C"}`)))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

	res, err := f.service().Complete(t.Context(), chatReq("which is best?"))
	require.NoError(t, err)
	prompt := sel.prompt(t)
	for _, want := range []string{"Response A", "Response B", "Response C", "alpha says", "beta says", "gamma says", "which is best?"} {
		require.Contains(t, prompt, want)
	}
	require.False(t, containsAny(prompt, alpha, beta, gamma, writer, judge), "model names leaked into the selector prompt")
	require.Equal(t, gamma, res.Trace.Selector.SelectedNode)
	require.Equal(t, domain.SomeFloat(domain.SelectorCallTemperature), sel.calls[0].Params.Temperature)
}

func TestSelectorFailuresFallBackToTheFirstCandidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply func(*fixture)
	}{
		{"unparseable reply", func(f *fixture) {
			f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("they are all lovely"))
		}},
		{"upstream error", func(f *fixture) {
			f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(judge))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			standardWorkers(f)
			tc.reply(f)
			var synth recorder
			f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(synth.wrap(reply("final")))
			res, err := f.service().Complete(t.Context(), chatReq("q"))
			require.NoError(t, err)
			st := res.Trace.Selector
			require.Equal(t, domain.StatusFallback, st.Status)
			require.NotEmpty(t, st.Error)
			require.Equal(t, 1, st.SelectedIndex)
			require.Equal(t, alpha, st.SelectedNode)
			require.Contains(t, synth.prompt(t), "=== Response A ===\nalpha says\n\nOther drafts")
		})
	}
}

func TestASingleCandidateSkipsTheSelector(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(alpha))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("beta says"))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(gamma))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final")) // judge expects no call

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, domain.StatusSkipped, res.Trace.Selector.Status)
	require.Equal(t, beta, res.Trace.Selector.SelectedNode)
}

func TestAPlanWithoutSelectorSynthesizesFromTheFirstCandidate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.wf.Root.Selector = nil
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(alpha))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("beta says"))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("gamma says"))
	var synth recorder
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(synth.wrap(reply("final")))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Nil(t, res.Trace.Selector)
	require.Contains(t, synth.prompt(t), "The strongest draft is:\n\n=== Response A ===\nbeta says")
}
