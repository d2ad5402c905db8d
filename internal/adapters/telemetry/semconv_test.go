package telemetry

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/semconv/v1.41.0/genaiconv"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

// The token-usage histogram is the OpenTelemetry GenAI client metric in
// Prometheus form, written as plain strings; this pins its name, label names
// and label values to the semantic-conventions package (dots become
// underscores, as the OpenTelemetry Prometheus exporter writes them), so a
// rename there fails here. The span attributes are pinned in internal/app.
func TestTokenUsageMetricFollowsTheSemanticConventions(t *testing.T) {
	m := NewMetrics()
	next := mocks.NewMockChatModel(gomock.NewController(t))
	next.EXPECT().Complete(gomock.Any(), gomock.Any()).
		Return(domain.Completion{Text: "hi", Usage: domain.Usage{InputTokens: 3, OutputTokens: 4}}, nil)
	_, err := m.WrapModel("gpt-a", next).Complete(context.Background(), domain.ModelCall{Model: "gpt-a"})
	require.NoError(t, err)

	name := promName(genaiconv.ClientTokenUsage{}.Name())
	for typ, n := range map[string]int{
		semconv.GenAITokenTypeInput.Value.AsString():  3,
		semconv.GenAITokenTypeOutput.Value.AsString(): 4,
	} {
		h := histogram(t, m, name, map[string]string{
			promName(string(semconv.GenAIOperationNameKey)): semconv.GenAIOperationNameChat.Value.AsString(),
			promName(string(semconv.GenAITokenTypeKey)):     typ,
			promName(string(semconv.GenAIRequestModelKey)):  "gpt-a",
		})
		require.InDelta(t, float64(n), h.GetSampleSum(), 0, typ)
	}
}

// promName is an OpenTelemetry name as a Prometheus metric or label name.
func promName(otel string) string {
	return strings.ReplaceAll(otel, ".", "_")
}
