package app_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
)

type spanTree struct{ spans []sdktrace.ReadOnlySpan }

func (s spanTree) one(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	for _, sp := range s.spans {
		if sp.Name() == name {
			found = append(found, sp)
		}
	}
	require.Len(t, found, 1, name)
	return found[0]
}

// children returns the sorted names of parent's child spans.
func (s spanTree) children(parent sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, sp := range s.spans {
		if sp.Parent().SpanID() == parent.SpanContext().SpanID() {
			out = append(out, sp.Name())
		}
	}
	sort.Strings(out)
	return out
}

func (s spanTree) child(t *testing.T, parent sdktrace.ReadOnlySpan, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, sp := range s.spans {
		if sp.Parent().SpanID() == parent.SpanContext().SpanID() && sp.Name() == name {
			return sp
		}
	}
	require.Failf(t, "missing span", "%s under %s", name, parent.Name())
	return nil
}

func attrs(sp sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range sp.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestSpansFollowTheWorkflowTree(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	f := nestedFixture(t)
	f.addModel(domain.ModelSpec{Name: "delta-llm"})
	f.wf.Root.Workers = append(f.wf.Root.Workers, modelNode("delta-llm"))
	f.wf.Root.Analyzer.AutoTemperature = domain.SomeBool(true)
	f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"temperature": 0.6}`))
	standardWorkers(f)
	f.m("delta-llm").Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail("delta-llm"))
	judgeFirst(f)
	f.m(innerWriter).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("inner"))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

	res, err := f.service(func(d *app.Deps) { d.TracerProvider = tp }).Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	tree := spanTree{rec.Ended()}

	root := tree.one(t, "invoke_workflow chorus")
	require.Equal(t, "invoke_workflow", attrs(root)["gen_ai.operation.name"].AsString())
	require.Equal(t, res.WorkflowID, attrs(root)["chorus.workflow.id"].AsString())
	require.Equal(t, []string{"chorus.stage.analyzer", "chorus.stage.selector", "chorus.stage.synthesizer", "chorus.stage.workers"}, tree.children(root))
	require.Equal(t, []string{"chat " + analyst}, tree.children(tree.child(t, root, "chorus.stage.analyzer")))

	workers := tree.child(t, root, "chorus.stage.workers")
	require.Equal(t, []string{"chat " + alpha, "chat delta-llm", "invoke_workflow chorus.workers[1]"}, tree.children(workers))
	nested := tree.child(t, workers, "invoke_workflow chorus.workers[1]")
	require.Equal(t, innerWriter, attrs(nested)["chorus.plan.label"].AsString())
	require.Equal(t, "chorus.workers[1]", attrs(nested)["chorus.plan.path"].AsString())
	require.Equal(t, []string{"chorus.stage.selector", "chorus.stage.synthesizer", "chorus.stage.workers"}, tree.children(nested))
	require.Equal(t, []string{"chat " + beta, "chat " + gamma}, tree.children(tree.child(t, nested, "chorus.stage.workers")))
	require.Equal(t, []string{"chat " + innerWriter}, tree.children(tree.child(t, nested, "chorus.stage.synthesizer")))

	chat := tree.child(t, workers, "chat "+alpha)
	a := attrs(chat)
	require.Equal(t, trace.SpanKindClient, chat.SpanKind())
	require.Equal(t, "chat", a["gen_ai.operation.name"].AsString())
	require.Equal(t, alpha, a["gen_ai.request.model"].AsString())
	require.InDelta(t, 0.6, a["gen_ai.request.temperature"].AsFloat64(), 1e-9)
	require.Equal(t, int64(10), a["gen_ai.usage.input_tokens"].AsInt64())
	require.Equal(t, int64(5), a["gen_ai.usage.output_tokens"].AsInt64())
	require.Equal(t, codes.Unset, chat.Status().Code)

	failed := tree.child(t, workers, "chat delta-llm")
	require.Equal(t, codes.Error, failed.Status().Code)
	require.NotEmpty(t, failed.Events(), "the error is recorded")
	require.Equal(t, codes.Unset, workers.Status().Code, "one failed worker does not fail the stage")
}

func TestExpandedSubWorkflowsHaveDistinctSpanNames(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	f := newFixture(t)
	wrapTwice(f.wf.Root) // every sub-plan's label is the same synthesizer model
	for _, w := range []string{alpha, beta, gamma} {
		f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(w)).AnyTimes()
	}
	judgeFirst(f)
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final")).AnyTimes()

	_, err := f.service(func(d *app.Deps) { d.TracerProvider = tp }).Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	var names []string
	for _, s := range rec.Ended() {
		if strings.HasPrefix(s.Name(), "invoke_workflow ") {
			names = append(names, strings.TrimPrefix(s.Name(), "invoke_workflow "))
		}
	}
	slices.Sort(names)
	require.Equal(t, []string{
		"chorus",
		"chorus.workers[0]", "chorus.workers[0].workers[0]", "chorus.workers[0].workers[1]",
		"chorus.workers[1]", "chorus.workers[1].workers[0]", "chorus.workers[1].workers[1]",
		"chorus.workers[2]", "chorus.workers[2].workers[0]", "chorus.workers[2].workers[1]",
	}, names, "one span per plan, each named by its path")
}

func TestPassthroughHasOneChatSpan(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	f := newFixture(t)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("hi"))
	_, err := f.service(func(d *app.Deps) { d.TracerProvider = tp }).Complete(t.Context(), passthroughRequest())
	require.NoError(t, err)
	spans := rec.Ended()
	require.Len(t, spans, 1)
	require.Equal(t, "chat "+alpha, spans[0].Name())
	_, hasTemp := attrs(spans[0])["gen_ai.request.temperature"]
	require.False(t, hasTemp, "the client set no temperature")
}

func TestPassthroughFallbackIsInTheTrace(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	f := newFixture(t)
	f.spec(alpha, func(s *domain.ModelSpec) { s.Fallbacks = []string{beta} })
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(failedDeployments(alpha))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("from beta"))
	res, err := f.service(func(d *app.Deps) { d.TracerProvider = tp }).Complete(t.Context(), passthroughRequest())
	require.NoError(t, err)
	require.Equal(t, beta, res.Model)

	tree := spanTree{spans: rec.Ended()}
	failed := tree.one(t, "chat "+alpha)
	require.Equal(t, codes.Error, failed.Status().Code, "the requested model's span failed")
	var outcomes []string
	for _, ev := range failed.Events() {
		for _, a := range ev.Attributes {
			if a.Key == "chorus.deployment.outcome" {
				outcomes = append(outcomes, a.Value.AsString())
			}
		}
	}
	require.Equal(t, []string{"connection", "connection"}, outcomes, "one event per failed deployment")
	answered := tree.one(t, "chat "+beta)
	require.NotEqual(t, codes.Error, answered.Status().Code, "the fallback's span answered")
}
