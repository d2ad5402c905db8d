package app

import (
	"testing"

	"github.com/stretchr/testify/require"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
)

// The engine writes the GenAI attribute names as plain strings (no semconv
// import on the request path); this pins each one to the OpenTelemetry
// semantic-conventions package, so a rename there fails here.
func TestGenAIAttributeNamesMatchTheSemanticConventions(t *testing.T) {
	t.Parallel()
	pinned := map[string]string{
		attrOperation:   string(semconv.GenAIOperationNameKey),
		attrModel:       string(semconv.GenAIRequestModelKey),
		attrTemperature: string(semconv.GenAIRequestTemperatureKey),
		attrProvider:    string(semconv.GenAIProviderNameKey),
		attrInputTok:    string(semconv.GenAIUsageInputTokensKey),
		attrOutputTok:   string(semconv.GenAIUsageOutputTokensKey),
	}
	for ours, theirs := range pinned {
		require.Equal(t, theirs, ours)
	}
	require.Equal(t, opChat, semconv.GenAIOperationNameChat.Value.AsString())
	require.Equal(t, opWorkflow, semconv.GenAIOperationNameInvokeWorkflow.Value.AsString())
}
