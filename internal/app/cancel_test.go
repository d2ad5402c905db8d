package app_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Not parallel: goleak compares against the goroutines alive at its start.
func TestCancellationReachesEveryCallAndLeavesNoGoroutine(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	f := nestedFixture(t)
	f.wf.Root.Workers = append(f.wf.Root.Workers, modelNode(beta)) // alpha, sub(beta, gamma), beta
	started := newBarrier(4)
	ctx, cancel := context.WithCancel(t.Context())
	var sawCancel atomic.Int32
	block := func(callCtx context.Context, c domain.ModelCall) (domain.Completion, error) {
		if err := started.arrive(); err != nil {
			return domain.Completion{}, err
		}
		cancel() // every call is in flight: the client goes away
		<-callCtx.Done()
		sawCancel.Add(1)
		return domain.Completion{}, &domain.LLMError{Model: c.Model, Kind: domain.LLMCanceled, Err: callCtx.Err()}
	}
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(block)
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(block).Times(2)
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(block)

	res, err := f.service().Complete(ctx, chatReq("q"))
	require.Error(t, err)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, domain.ErrCanceled)
	require.Equal(t, int32(4), sawCancel.Load())
	require.Equal(t, domain.StatusCanceled, res.Trace.Status)
	for _, w := range res.Trace.Workers {
		require.Equal(t, domain.StatusCanceled, w.Call.Status, w.Label)
	}
	goleak.VerifyNone(t, ignore)
}

func TestCancellationDuringStreamingStopsTheSynthesizer(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	f := newFixture(t)
	standardWorkers(f)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))
	ctx, cancel := context.WithCancel(t.Context())
	f.m(writer).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(callCtx context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			if err := emit(domain.Delta{Text: "partial"}); err != nil {
				return domain.Completion{}, err
			}
			cancel()
			<-callCtx.Done()
			return domain.Completion{}, callCtx.Err()
		})
	var got []string
	_, err := f.service().Stream(ctx, chatReq("q"), func(ev domain.StreamEvent) error {
		if !ev.KeepAlive {
			got = append(got, ev.Delta.Text)
		}
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, []string{"partial"}, got)
	goleak.VerifyNone(t, ignore)
}
