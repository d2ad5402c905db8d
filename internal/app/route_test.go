package app_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
)

const easyModel = "easy-llm"

// routeFixture turns adaptive routing on (route_easy_to = easy-llm) over the
// standard plan, whose workers need no analyzer suggestion.
func routeFixture(t *testing.T, threshold domain.Difficulty, analyzerReply string) *fixture {
	f := newFixture(t)
	f.addModel(domain.ModelSpec{Name: easyModel})
	f.wf.Routing = domain.Routing{EasyTo: easyModel, Threshold: threshold}
	f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(analyzerReply))
	return f
}

func expectFullWorkflow(f *fixture) {
	for _, w := range []string{alpha, beta, gamma} {
		f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(w + " says"))
	}
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("synthesized"))
}

func TestRouting_ATrivialRequestIsAnsweredByTheRoutingModelAlone(t *testing.T) {
	t.Parallel()
	f := routeFixture(t, domain.DifficultyTrivial, `{"temperature": 0.3, "difficulty": "trivial", "reasoning": "a greeting"}`)
	var easy recorder
	f.m(easyModel).Complete(gomock.Any(), gomock.Any()).DoAndReturn(easy.wrap(reply("bonjour")))
	rec := tracetest.NewSpanRecorder()
	svc := f.service(func(d *app.Deps) { d.TracerProvider = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)) })

	req := chatReq("say hello in French")
	req.Params.MaxTokens = domain.SomeInt(20)
	res, err := svc.Complete(t.Context(), req)
	require.NoError(t, err)
	require.Equal(t, "bonjour", res.Text)
	require.Len(t, easy.calls, 1)
	require.Equal(t, req.Messages, easy.calls[0].Messages, "the client's conversation, as a passthrough sends it")
	require.Equal(t, domain.SomeInt(20), easy.calls[0].Params.MaxTokens, "the client's parameters")
	require.Equal(t, domain.SomeFloat(0.3), easy.calls[0].Params.Temperature, "the analyzer's suggestion")

	tr := res.Trace
	require.Empty(t, tr.Workers)
	require.Nil(t, tr.Selector)
	require.Nil(t, tr.Synthesizer)
	require.Equal(t, domain.DifficultyTrivial, tr.Analyzer.Difficulty)
	require.NotNil(t, tr.Routed)
	require.Equal(t, easyModel, tr.Routed.Model)
	require.Equal(t, domain.StatusOK, tr.Routed.Status)
	require.Equal(t, "a greeting", tr.Routed.Reason)
	require.Equal(t, testUsage.Add(testUsage), tr.Usage, "analyzer plus the routed call")
	require.Equal(t, tr.Usage, res.Usage)

	attrs := workflowSpanAttrs(t, rec)
	require.Equal(t, "easy", attrs["chorus.route"])
	require.Equal(t, easyModel, attrs["chorus.route.model"])
	require.Equal(t, "trivial", attrs["chorus.analyzer.difficulty"])
}

func TestRouting_AHardRequestRunsTheWholeWorkflow(t *testing.T) {
	t.Parallel()
	f := routeFixture(t, domain.DifficultyTrivial, `{"temperature": 0.3, "difficulty": "hard"}`)
	expectFullWorkflow(f)
	rec := tracetest.NewSpanRecorder()
	svc := f.service(func(d *app.Deps) { d.TracerProvider = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)) })
	res, err := svc.Complete(t.Context(), chatReq("prove it"))
	require.NoError(t, err)
	require.Equal(t, "synthesized", res.Text)
	require.Nil(t, res.Trace.Routed)
	require.Len(t, res.Trace.Workers, 3)
	require.Equal(t, domain.DifficultyHard, res.Trace.Analyzer.Difficulty)
	require.Equal(t, "full", workflowSpanAttrs(t, rec)["chorus.route"])
}

func TestRouting_TheThresholdDecides(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		threshold  domain.Difficulty
		reply      string
		wantRouted bool
	}{
		{"normal is routed at threshold normal", domain.DifficultyNormal, `{"temperature": 0.5, "difficulty": "medium"}`, true},
		{"no rating means normal", domain.DifficultyNormal, `{"temperature": 0.5}`, true},
		{"normal is not routed at threshold trivial", domain.DifficultyTrivial, `{"temperature": 0.5, "difficulty": "normal"}`, false},
		{"an unparsable analyzer never routes", domain.DifficultyNormal, `no idea`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := routeFixture(t, tt.threshold, tt.reply)
			if tt.wantRouted {
				f.m(easyModel).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("short"))
			} else {
				expectFullWorkflow(f)
			}
			res, err := f.service().Complete(t.Context(), chatReq("q"))
			require.NoError(t, err)
			require.Equal(t, tt.wantRouted, res.Trace.Routed != nil)
		})
	}
}

func TestRouting_AStreamedEasyAnswerIsRelayedAsItArrives(t *testing.T) {
	t.Parallel()
	f := routeFixture(t, domain.DifficultyTrivial, `{"temperature": 0.3, "difficulty": "trivial"}`)
	f.m(easyModel).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			for _, p := range []string{"bon", "jour"} {
				if err := emit(domain.Delta{Text: p}); err != nil {
					return domain.Completion{}, err
				}
			}
			return domain.Completion{Text: "bonjour", Usage: testUsage, Attempts: 1}, nil
		})
	var got []string
	res, err := f.service().Stream(t.Context(), chatReq("hi"), func(ev domain.StreamEvent) error {
		if !ev.KeepAlive {
			got = append(got, ev.Delta.Text)
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"bon", "jour"}, got)
	require.NotNil(t, res.Trace.Routed)
}

func workflowSpanAttrs(t *testing.T, rec *tracetest.SpanRecorder) map[string]string {
	t.Helper()
	for _, s := range rec.Ended() {
		if s.Name() == "invoke_workflow chorus" {
			out := map[string]string{}
			for _, kv := range s.Attributes() {
				if kv.Value.Type() == attribute.STRING {
					out[string(kv.Key)] = kv.Value.AsString()
				}
			}
			return out
		}
	}
	require.Fail(t, "no workflow span")
	return nil
}
