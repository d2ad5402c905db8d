package telemetry

import (
	"strings"

	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel"
)

// TracingTarget says in one phrase where spans go with the environment read
// through getenv, for the start-up log: "off (...)" with the reason, or the
// OTLP protocol and endpoint. It mirrors SetupTracing's choices; an invalid
// setting makes SetupTracing fail, so it is not described here.
func TracingTarget(getenv func(string) string) string {
	enabled, err := tracesEnabled(getenv)
	switch {
	case err != nil:
		return "off (invalid OTEL_TRACES_EXPORTER)"
	case !enabled && strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true"):
		return "off (OTEL_SDK_DISABLED=true)"
	case !enabled && strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")) != "":
		return "off (OTEL_TRACES_EXPORTER=none)"
	case !enabled:
		return "off (set OTEL_EXPORTER_OTLP_ENDPOINT to export)"
	}
	proto := getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if proto == "" {
		proto = getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	proto = strings.ToLower(strings.TrimSpace(proto))
	if proto == "" {
		proto = protocolHTTP
	}
	endpoint := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	switch {
	case endpoint != "":
	case getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" && proto == protocolHTTP:
		endpoint = strings.TrimRight(getenv("OTEL_EXPORTER_OTLP_ENDPOINT"), "/") + "/v1/traces"
	case getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "":
		endpoint = getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	case proto == protocolGRPC:
		endpoint = "localhost:4317 (SDK default)"
	default:
		endpoint = "http://localhost:4318/v1/traces (SDK default)"
	}
	return "otlp " + proto + " to " + endpoint
}

// LogOTelErrors routes the errors the OpenTelemetry SDK reports in the
// background (a collector that cannot be reached, a rejected export) to log
// at warn, so they appear as JSON lines like everything else instead of the
// SDK's plain-text default on stderr. The handler is process-global.
func LogOTelErrors(log zerolog.Logger) {
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn().Err(err).Str("component", "opentelemetry").Msg("trace export error")
	}))
}
