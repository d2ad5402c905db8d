package telemetry

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// OTLP protocols named by OTEL_EXPORTER_OTLP_PROTOCOL.
const (
	protocolHTTP = "http/protobuf"
	protocolGRPC = "grpc"
)

// tracesEnabled reports whether an OTLP exporter is wanted. An explicit
// OTEL_TRACES_EXPORTER wins; otherwise an OTLP endpoint turns export on.
func tracesEnabled(getenv func(string) string) (bool, error) {
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return false, nil
	}
	if list := strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")); list != "" {
		otlp := false
		for _, name := range strings.Split(list, ",") {
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "otlp":
				otlp = true
			case "none":
				return false, nil
			default:
				return false, fmt.Errorf("tracing: OTEL_TRACES_EXPORTER %q is not supported (use otlp or none)", name)
			}
		}
		return otlp, nil
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" ||
		getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "", nil
}

// newExporter builds the OTLP exporter for the configured protocol. The
// endpoint is passed explicitly (it came through getenv); headers, TLS,
// compression and timeouts are read from the environment by the SDK.
func newExporter(ctx context.Context, getenv func(string) string) (sdktrace.SpanExporter, error) {
	proto := getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if proto == "" {
		proto = getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	switch strings.ToLower(strings.TrimSpace(proto)) {
	case "", protocolHTTP:
		return newHTTPExporter(ctx, getenv)
	case protocolGRPC:
		return newGRPCExporter(ctx, getenv)
	default:
		return nil, fmt.Errorf("tracing: OTEL_EXPORTER_OTLP_PROTOCOL %q is not supported (use %s or %s)",
			proto, protocolHTTP, protocolGRPC)
	}
}

func newHTTPExporter(ctx context.Context, getenv func(string) string) (sdktrace.SpanExporter, error) {
	if err := checkEndpoints(getenv); err != nil {
		return nil, err
	}
	var opts []otlptracehttp.Option
	if ep := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); ep != "" {
		opts = append(opts, otlptracehttp.WithEndpointURL(ep)) // used as is, per the spec
	} else if ep := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); ep != "" {
		opts = append(opts, otlptracehttp.WithEndpointURL(strings.TrimRight(ep, "/")+"/v1/traces"))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("tracing: otlp http exporter: %w", err)
	}
	return exp, nil
}

func newGRPCExporter(ctx context.Context, getenv func(string) string) (sdktrace.SpanExporter, error) {
	if err := checkEndpoints(getenv); err != nil {
		return nil, err
	}
	var opts []otlptracegrpc.Option
	if ep := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); ep != "" {
		opts = append(opts, otlptracegrpc.WithEndpointURL(ep))
	} else if ep := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); ep != "" {
		opts = append(opts, otlptracegrpc.WithEndpointURL(ep))
	}
	exp, err := otlptracegrpc.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("tracing: otlp grpc exporter: %w", err)
	}
	return exp, nil
}

// checkEndpoints rejects an endpoint that is not an http(s) URL: the SDK
// would only log the mistake and silently export to localhost instead.
func checkEndpoints(getenv func(string) string) error {
	for _, name := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("tracing: %s=%q must be a URL like http://collector:4318", name, v)
		}
	}
	return nil
}
