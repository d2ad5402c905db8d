package telemetry_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"

	"github.com/chorus-ai/chorus/internal/adapters/telemetry"
)

func TestTracingTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want string
	}{
		{nil, "off (set OTEL_EXPORTER_OTLP_ENDPOINT to export)"},
		{map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, "off (OTEL_SDK_DISABLED=true)"},
		{map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, "off (OTEL_TRACES_EXPORTER=none)"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318/"}, "otlp http/protobuf to http://c:4318/v1/traces"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/custom"}, "otlp http/protobuf to http://c:4318/custom"},
		{map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317"}, "otlp grpc to http://c:4317"},
		{map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, "otlp http/protobuf to http://localhost:4318/v1/traces (SDK default)"},
		{map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "otlp grpc to localhost:4317 (SDK default)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, telemetry.TracingTarget(env(tt.env)))
		})
	}
}

// TestLogOTelErrorsWritesJSON is not parallel: the handler is global.
func TestLogOTelErrorsWritesJSON(t *testing.T) {
	prev := otel.GetErrorHandler()
	t.Cleanup(func() { otel.SetErrorHandler(prev) })
	var buf bytes.Buffer
	telemetry.LogOTelErrors(zerolog.New(&buf))

	otel.Handle(errors.New("traces export: connection refused"))

	require.JSONEq(t, `{"level":"warn","error":"traces export: connection refused","component":"opentelemetry","message":"trace export error"}`,
		buf.String(), "an SDK error is one zerolog JSON line, not plain text on stderr")
}
