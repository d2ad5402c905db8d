package telemetry

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// ServiceName is the OpenTelemetry service.name Chorus reports unless
// OTEL_SERVICE_NAME overrides it.
const ServiceName = "chorus"

// SetupTracing builds the tracer provider from the standard OTEL_*
// environment variables read through getenv:
//
//   - OTEL_TRACES_EXPORTER=otlp, OTEL_EXPORTER_OTLP_ENDPOINT or
//     OTEL_EXPORTER_OTLP_TRACES_ENDPOINT selects an OTLP exporter behind a
//     batch span processor; OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL picks
//     http/protobuf (default) or grpc;
//   - OTEL_TRACES_EXPORTER=none, OTEL_SDK_DISABLED=true or nothing set gives a
//     no-op provider: no exporter, no goroutine, no cost per span.
//
// The resource carries service.name "chorus" (OTEL_SERVICE_NAME overrides it)
// and service.version. SetupTracing also installs the provider and the W3C
// TraceContext+Baggage propagator as the OpenTelemetry globals, so
// instrumentation libraries that read the globals agree with the injected
// provider. The returned function flushes and stops the exporter; call it on
// shutdown after the HTTP server has drained.
func SetupTracing(ctx context.Context, getenv func(string) string, version string) (trace.TracerProvider, func(context.Context) error, error) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))

	enabled, err := tracesEnabled(getenv)
	if err != nil {
		return nil, nil, err
	}
	if !enabled {
		tp := noop.NewTracerProvider()
		otel.SetTracerProvider(tp)
		return tp, func(context.Context) error { return nil }, nil
	}

	exp, err := newExporter(ctx, getenv)
	if err != nil {
		return nil, nil, err
	}
	res, err := newResource(ctx, getenv, version)
	if err != nil {
		_ = exp.Shutdown(ctx)
		return nil, nil, err
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp), // reads OTEL_BSP_* itself
		sdktrace.WithResource(res),
	)
	otel.SetTracerProvider(tp)
	shutdown := func(ctx context.Context) error {
		if err := tp.Shutdown(ctx); err != nil {
			return fmt.Errorf("tracing: shutdown: %w", err)
		}
		return nil
	}
	return tp, shutdown, nil
}

// newResource describes this process: defaults first, then
// OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME, each overriding the last.
func newResource(ctx context.Context, getenv func(string) string, version string) (*resource.Resource, error) {
	name := ServiceName
	if v := getenv("OTEL_SERVICE_NAME"); v != "" {
		name = v
	}
	res, err := resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithAttributes(
			attribute.String("service.name", ServiceName),
			attribute.String("service.version", version),
		),
		resource.WithFromEnv(),
		resource.WithAttributes(attribute.String("service.name", name)),
	)
	if err != nil {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	return res, nil
}
