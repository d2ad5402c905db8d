package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// events records a stream as "reasoning:<text>", "content:<text>" and
// "keep-alive" entries, in order.
type events struct {
	mu  sync.Mutex
	got []string
}

func (e *events) emit(ev domain.StreamEvent) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case ev.KeepAlive:
		e.got = append(e.got, "keep-alive")
	case ev.Delta.Text == "" && ev.Delta.Reasoning != "":
		e.got = append(e.got, "reasoning:"+ev.Delta.Reasoning)
	default:
		e.got = append(e.got, "content:"+ev.Delta.Text)
	}
	return nil
}

// reasoning returns the reasoning texts joined.
func (e *events) reasoning() string {
	var b strings.Builder
	for _, g := range e.got {
		if text, ok := strings.CutPrefix(g, "reasoning:"); ok {
			b.WriteString(text)
		}
	}
	return b.String()
}

// progressFixture: the analyzer suggests 0.3 for a code task, beta fails
// with a 429, the judge picks the second candidate (gamma's, "Response B")
// and the writer streams its thinking, then the answer.
func progressFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.wf.Progress = domain.ProgressDefault
	f.wf.Root.Analyzer.AutoTemperature = domain.SomeBool(true)
	f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"temperature":0.3,"task_type":"code"}`)).AnyTimes()
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("alpha says")).AnyTimes()
	f.m(beta).Complete(gomock.Any(), gomock.Any()).Return(domain.Completion{},
		&domain.LLMError{Model: beta, Kind: domain.LLMStatus, Status: 429, Message: "slow down " + beta}).AnyTimes()
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("gamma says")).AnyTimes()
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"B","reasoning":"it is correct and shorter"}`)).AnyTimes()
	f.m(writer).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			for _, d := range []domain.Delta{{Reasoning: "mulling"}, {Text: "Hel"}, {Text: "lo"}} {
				if err := emit(d); err != nil {
					return domain.Completion{}, err
				}
			}
			return domain.Completion{Text: "Hello", Reasoning: "mulling", Usage: testUsage}, nil
		}).AnyTimes()
	f.m(writer).Complete(gomock.Any(), gomock.Any()).
		Return(domain.Completion{Text: "Hello", Reasoning: "mulling", Usage: testUsage}, nil).AnyTimes()
	return f
}

func TestAStreamedWorkflowShowsProgressAsReasoningBeforeTheAnswer(t *testing.T) {
	t.Parallel()
	f := progressFixture(t)
	var ev events
	res, err := f.service().Stream(t.Context(), chatReq("q"), ev.emit)
	require.NoError(t, err)
	require.Equal(t, "Hello", res.Text)

	var order []string
	for _, g := range ev.got {
		if g != "keep-alive" {
			order = append(order, g)
		}
	}
	require.GreaterOrEqual(t, len(order), 3)
	require.Equal(t, []string{"content:Hel", "content:lo"}, order[len(order)-2:], "the answer comes last")
	require.Equal(t, "reasoning:mulling", order[len(order)-3], "the synthesizer's thinking follows the lines")

	lines := ev.reasoning()
	require.Regexp(t, `(?m)^analyzer: code task, temperature 0\.3 \(\d+\.\d s\)$`, lines)
	require.Contains(t, lines, "workers: 3 running\n")
	require.Regexp(t, `(?m)^worker A done in \d+\.\d s \(15 tokens\)$`, lines)
	require.Contains(t, lines, "worker B failed: upstream 429\n")
	require.Regexp(t, `(?m)^selector chose Response B \(worker C\): it is correct and shorter \(\d+\.\d s\)$`, lines)
	require.Contains(t, lines, "synthesizer: writing the answer\n")
	for _, name := range []string{alpha, beta, gamma, "slow down"} {
		require.NotContains(t, lines, name, "progress lines are anonymous")
	}
	require.Equal(t, lines, res.Reasoning, "the result keeps the same lines")
}

func TestProgressCanBeTurnedOff(t *testing.T) {
	t.Parallel()
	for name, set := range map[string]func(*fixture, *domain.ChatRequest){
		"by the request": func(_ *fixture, r *domain.ChatRequest) { r.Progress = domain.ProgressOff },
		"by the config":  func(f *fixture, _ *domain.ChatRequest) { f.wf.Progress = domain.ProgressOff },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := progressFixture(t)
			req := chatReq("q")
			set(f, &req)
			var ev events
			res, err := f.service().Stream(t.Context(), req, ev.emit)
			require.NoError(t, err)
			require.Empty(t, ev.reasoning())
			require.Empty(t, res.Reasoning)
			require.Contains(t, ev.got, "content:Hel")
		})
	}
}

func TestAWholeAnswerCarriesProgressOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	f := progressFixture(t)
	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Empty(t, res.Reasoning, "not asked")

	req := chatReq("q")
	req.Progress = domain.ProgressReasoning
	res, err = f.service().Complete(t.Context(), req)
	require.NoError(t, err)
	require.Contains(t, res.Reasoning, "worker B failed: upstream 429\n")
	require.True(t, strings.HasSuffix(res.Reasoning, "synthesizer: writing the answer\nmulling"), res.Reasoning)
}

func TestProgressNamesShowModels(t *testing.T) {
	t.Parallel()
	f := progressFixture(t)
	f.wf.ProgressNames = true
	var ev events
	_, err := f.service().Stream(t.Context(), chatReq("q"), ev.emit)
	require.NoError(t, err)
	lines := ev.reasoning()
	require.Regexp(t, `(?m)^worker `+alpha+` done in`, lines)
	require.Contains(t, lines, "worker "+beta+" failed: model "+beta+": upstream status 429: slow down")
	require.Contains(t, lines, "selector chose Response B ("+gamma+")")
}

func TestPassthroughGetsNoProgress(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.wf.Progress = domain.ProgressReasoning
	f.m(alpha).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			return domain.Completion{Text: "hi"}, emit(domain.Delta{Text: "hi"})
		})
	var ev events
	req := chatReq("q")
	req.Model, req.Progress = alpha, domain.ProgressReasoning
	_, err := f.service().Stream(t.Context(), req, ev.emit)
	require.NoError(t, err)
	require.Equal(t, []string{"content:hi"}, ev.got)
}
