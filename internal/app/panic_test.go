package app_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
)

// panics is a ChatModel call that panics, as a buggy adapter would.
func panics(context.Context, domain.ModelCall) (domain.Completion, error) {
	panic("adapter bug")
}

func TestAPanickingModelFailsOnlyItsWorker(t *testing.T) {
	t.Parallel()
	// alpha and beta run on goroutines of their own, gamma (the last
	// worker) on the request's goroutine: each position must be guarded.
	for _, broken := range []string{alpha, beta, gamma} {
		t.Run(broken, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			for _, w := range []string{alpha, beta, gamma} {
				if w == broken {
					f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(panics)
					continue
				}
				f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(w + " says"))
			}
			f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))
			f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

			res, err := f.service().Complete(t.Context(), chatReq("q"))
			require.NoError(t, err)
			require.Equal(t, "final", res.Text)
			w := workerByLabel(t, res.Trace, broken)
			require.Equal(t, domain.StatusError, w.Call.Status)
			require.Contains(t, w.Call.Error, "adapter bug")
			require.Equal(t, domain.StatusOK, res.Trace.Status)
		})
	}
}

func TestEveryWorkerPanickingIsAllWorkersFailed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, w := range []string{alpha, beta, gamma} {
		f.m(w).Complete(gomock.Any(), gomock.Any()).DoAndReturn(panics)
	}
	_, err := f.service().Complete(t.Context(), chatReq("q"))
	require.ErrorIs(t, err, domain.ErrAllWorkersFailed)
	var all *domain.AllWorkersFailedError
	require.ErrorAs(t, err, &all)
	for _, fl := range all.Failures {
		var perr *domain.PanicError
		require.ErrorAs(t, fl.Err, &perr, fl.Label)
	}
}

func TestAPanicInsideANestedWorkflowFailsOnlyThatWorker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	nested := domain.SubWorkflowNode{Plan: stdPlan(modelNode(beta), modelNode(gamma))}
	f.wf.Root = stdPlan(modelNode(alpha), nested)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("alpha says"))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(panics)
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(panics)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`)).AnyTimes()
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final")).AnyTimes()

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	sub := res.Trace.Workers[1]
	require.Equal(t, domain.StatusError, sub.Call.Status)
	require.Contains(t, sub.Call.Error, "adapter bug")
	require.Equal(t, domain.StatusOK, workerByLabel(t, res.Trace, alpha).Call.Status)
}

func TestAPanickingPassthroughModelIsAnError(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(panics)
	_, err := f.service().Complete(t.Context(), domain.ChatRequest{Model: alpha, Messages: chatReq("q").Messages})
	var perr *domain.PanicError
	require.ErrorAs(t, err, &perr)
	require.Equal(t, "model "+alpha, perr.Where)
	require.NotEmpty(t, perr.Stack)
}

func TestAPanicInTheKeepAliveGoroutineEndsTheStreamWithAnError(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.wf.Root = stdPlan(modelNode(alpha))
		f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(
			func(ctx context.Context, _ domain.ModelCall) (domain.Completion, error) {
				<-ctx.Done() // the worker outlives the first keep-alive tick
				return domain.Completion{}, ctx.Err()
			})
		svc := f.service(func(d *app.Deps) { d.KeepAliveInterval = time.Second })
		_, err := svc.Stream(t.Context(), chatReq("q"), func(ev domain.StreamEvent) error {
			if ev.KeepAlive {
				panic("writer bug")
			}
			return nil
		})
		var perr *domain.PanicError
		require.ErrorAs(t, err, &perr)
		require.Equal(t, "keep-alive", perr.Where)
	})
}
