package app_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
)

// sink is a stream consumer that detects concurrent emits.
type sink struct {
	mu         sync.Mutex
	busy       atomic.Bool
	concurrent atomic.Bool
	deltas     []string
	keepAlives int
	onDelta    func(string)
}

func (s *sink) emit(ev domain.StreamEvent) error {
	if !s.busy.CompareAndSwap(false, true) {
		s.concurrent.Store(true)
	}
	defer s.busy.Store(false)
	s.mu.Lock()
	if ev.KeepAlive {
		s.keepAlives++
	} else {
		s.deltas = append(s.deltas, ev.Delta.Text)
	}
	s.mu.Unlock()
	if !ev.KeepAlive && s.onDelta != nil {
		s.onDelta(ev.Delta.Text)
	}
	return nil
}

func streamingFixture(t *testing.T) *fixture {
	f := newFixture(t)
	standardWorkers(f)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"B"}`))
	return f
}

func TestTheFirstDeltaReachesTheClientBeforeTheSynthesizerFinishes(t *testing.T) {
	t.Parallel()
	f := streamingFixture(t)
	seen := make(chan struct{})
	var once sync.Once
	s := &sink{onDelta: func(string) { once.Do(func() { close(seen) }) }}
	f.m(writer).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(ctx context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			if err := emit(domain.Delta{Text: "Hel"}); err != nil {
				return domain.Completion{}, err
			}
			select { // the synthesizer is still running until the client saw its first delta
			case <-seen:
			case <-time.After(waitLimit):
				return domain.Completion{}, errors.New("the first delta never reached the client")
			}
			if err := emit(domain.Delta{Text: "lo"}); err != nil {
				return domain.Completion{}, err
			}
			return domain.Completion{Text: "Hello", Usage: testUsage}, nil
		})

	res, err := f.service().Stream(t.Context(), chatReq("q"), s.emit)
	require.NoError(t, err)
	require.Equal(t, "Hello", res.Text)
	require.Equal(t, []string{"Hel", "lo"}, s.deltas)
	require.False(t, s.concurrent.Load())
	require.Equal(t, domain.StatusOK, res.Trace.Synthesizer.Status)
}

func TestKeepAlivesFlowWhileEarlierStagesRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) { // keep-alive ticks on the bubble's fake clock
		f := newFixture(t)
		f.wf.Root = stdPlan(modelNode(alpha))
		ticks := make(chan struct{}, 16)
		s := &sink{}
		emit := func(ev domain.StreamEvent) error {
			if ev.KeepAlive {
				select {
				case ticks <- struct{}{}:
				default:
				}
			}
			return s.emit(ev)
		}
		f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(ctx context.Context, _ domain.ModelCall) (domain.Completion, error) {
			for range 2 { // the worker is slow: it answers after two keep-alives
				select {
				case <-ticks:
				case <-time.After(waitLimit):
					return domain.Completion{}, errors.New("no keep-alive while the worker ran")
				}
			}
			return domain.Completion{Text: "alpha says"}, nil
		})
		f.m(writer).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
			func(ctx context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
				return domain.Completion{Text: "final"}, emit(domain.Delta{Text: "final"})
			})

		res, err := f.service(func(d *app.Deps) { d.KeepAliveInterval = 2 * time.Millisecond }).Stream(t.Context(), chatReq("q"), emit)
		require.NoError(t, err)
		require.Equal(t, "final", res.Text)
		require.GreaterOrEqual(t, s.keepAlives, 2)
		require.Equal(t, []string{"final"}, s.deltas)
		require.False(t, s.concurrent.Load())
	})
}

func TestASynthesizerFailingMidStreamIsAnError(t *testing.T) {
	t.Parallel()
	f := streamingFixture(t)
	f.m(writer).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(ctx context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			if err := emit(domain.Delta{Text: "partial"}); err != nil {
				return domain.Completion{}, err
			}
			return domain.Completion{}, &domain.LLMError{Model: writer, Kind: domain.LLMConnection, Message: "reset"}
		})
	s := &sink{}
	res, err := f.service().Stream(t.Context(), chatReq("q"), s.emit)
	require.ErrorIs(t, err, domain.ErrUpstream)
	require.Equal(t, []string{"partial"}, s.deltas, "no fallback answer after a partial stream")
	require.Equal(t, domain.StatusError, res.Trace.Synthesizer.Status)
}

func TestAnswersThatAreNotStreamedGoOutAsOneDelta(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(*fixture)
		want  string
	}{
		{"select mode", func(f *fixture) { f.wf.Mode = domain.ModeSelect }, "beta says"},
		{"synthesizer failed before any delta", func(f *fixture) {
			f.m(writer).Stream(gomock.Any(), gomock.Any(), gomock.Any()).Return(domain.Completion{}, &domain.LLMError{Model: writer, Kind: domain.LLMStatus, Status: 503})
		}, "beta says"},
		{"upstream ignored streaming", func(f *fixture) {
			f.m(writer).Stream(gomock.Any(), gomock.Any(), gomock.Any()).Return(domain.Completion{Text: "whole"}, nil)
		}, "whole"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := streamingFixture(t)
			tc.setup(f)
			s := &sink{}
			res, err := f.service().Stream(t.Context(), chatReq("q"), s.emit)
			require.NoError(t, err)
			require.Equal(t, tc.want, res.Text)
			require.Equal(t, []string{tc.want}, s.deltas)
		})
	}
}
