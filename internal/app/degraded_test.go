package app_test

import (
	"bytes"
	"sync"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
)

// lockedLog is a log sink safe for the workers' goroutines.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestAFallbackMakesTheAnswerDegradedInTraceSpanAndLog(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	logs := &lockedLog{}
	f := newFixture(t)
	standardWorkers(f)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("no idea"))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(writer))
	svc := f.service(func(d *app.Deps) {
		d.TracerProvider = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
		d.Logger = zerolog.New(logs)
	})

	res, err := svc.Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, "alpha says", res.Text, "the first candidate answers")
	require.Equal(t, domain.StatusDegraded, res.Trace.Status)
	require.Equal(t, []string{domain.StageSelector, domain.StageSynthesizer}, res.Trace.DegradedStages())
	require.Contains(t, logs.String(), `"level":"warn"`)
	require.Contains(t, logs.String(), `"stages":["selector","synthesizer"]`)
	var root sdktrace.ReadOnlySpan
	for _, sp := range rec.Ended() {
		if sp.Name() == "invoke_workflow chorus" {
			root = sp
		}
	}
	require.NotNil(t, root)
	require.Equal(t, "degraded", attrs(root)["chorus.status"].AsString())
	require.Equal(t, "selector,synthesizer", attrs(root)["chorus.degraded"].AsString())
}

func TestAnAnswerWithoutFallbacksIsNotDegraded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	standardWorkers(f)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"B"}`))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))
	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, domain.StatusOK, res.Trace.Status)
	require.Empty(t, res.Trace.DegradedStages())
}
