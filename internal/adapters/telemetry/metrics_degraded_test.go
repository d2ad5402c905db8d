package telemetry

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

func TestMetrics_DegradedAnswersAreCountedByStage(t *testing.T) {
	m := NewMetrics()
	next := mocks.NewMockGateway(gomock.NewController(t))
	next.EXPECT().Models().Return(nil).AnyTimes()
	fellBack := &domain.ExecutionTrace{Status: domain.StatusDegraded,
		Synthesizer: &domain.SynthesizerTrace{CallTrace: domain.CallTrace{Status: domain.StatusFallback}}}
	next.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(domain.ChatResult{Trace: fellBack}, nil)
	next.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).Return(domain.ChatResult{Trace: fellBack}, nil)
	next.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(domain.ChatResult{Trace: fellBack}, errors.New("canceled later"))
	next.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(domain.ChatResult{Trace: &domain.ExecutionTrace{}}, nil)
	gw := m.WrapGateway(next)

	_, _ = gw.Complete(context.Background(), domain.ChatRequest{Model: "chorus"})
	_, _ = gw.Stream(context.Background(), domain.ChatRequest{Model: "chorus"}, func(domain.StreamEvent) error { return nil })
	_, _ = gw.Complete(context.Background(), domain.ChatRequest{Model: "chorus"})
	_, _ = gw.Complete(context.Background(), domain.ChatRequest{Model: "chorus"})

	require.InDelta(t, 2, testutil.ToFloat64(m.degraded.WithLabelValues("synthesizer")), 0, "failed and clean answers are not counted")
	require.InDelta(t, 0, testutil.ToFloat64(m.degraded.WithLabelValues("selector")), 0)
}
