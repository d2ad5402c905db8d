package telemetry_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/chorus-ai/chorus/internal/adapters/telemetry"
)

// env turns a map into a getenv function.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// restoreGlobals puts the OpenTelemetry globals back after a test that calls
// SetupTracing.
func restoreGlobals(t *testing.T) {
	t.Helper()
	tp, prop := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	t.Cleanup(func() {
		otel.SetTracerProvider(tp)
		otel.SetTextMapPropagator(prop)
	})
}

// otlpHTTPReceiver is a loopback OTLP/HTTP collector: it decodes every
// POST /v1/traces body and hands the request to the returned channel.
func otlpHTTPReceiver(t *testing.T) (*httptest.Server, <-chan *collectortrace.ExportTraceServiceRequest) {
	t.Helper()
	got := make(chan *collectortrace.ExportTraceServiceRequest, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := &collectortrace.ExportTraceServiceRequest{}
		if err := proto.Unmarshal(body, req); err != nil || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "bad export request", http.StatusBadRequest)
			return
		}
		got <- req
		out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// grpcReceiver is a loopback OTLP/gRPC collector.
type grpcReceiver struct {
	collectortrace.UnimplementedTraceServiceServer
	got chan *collectortrace.ExportTraceServiceRequest
}

func (g *grpcReceiver) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	g.got <- req
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

func otlpGRPCReceiver(t *testing.T) (string, <-chan *collectortrace.ExportTraceServiceRequest) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	rec := &grpcReceiver{got: make(chan *collectortrace.ExportTraceServiceRequest, 16)}
	srv := grpc.NewServer()
	collectortrace.RegisterTraceServiceServer(srv, rec)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return "http://" + lis.Addr().String(), rec.got
}

// exportedSpan is one received span with its resource attributes.
type exportedSpan struct {
	resource map[string]string
	span     *tracepb.Span
}

// receiveSpans waits (bounded) for the first export request and flattens it.
func receiveSpans(t *testing.T, got <-chan *collectortrace.ExportTraceServiceRequest) []exportedSpan {
	t.Helper()
	select {
	case req := <-got:
		var out []exportedSpan
		for _, rs := range req.GetResourceSpans() {
			attrs := map[string]string{}
			for _, kv := range rs.GetResource().GetAttributes() {
				attrs[kv.GetKey()] = kv.GetValue().GetStringValue()
			}
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					out = append(out, exportedSpan{resource: attrs, span: sp})
				}
			}
		}
		return out
	case <-time.After(10 * time.Second):
		t.Fatal("no OTLP export request arrived")
		return nil
	}
}

func TestSetupTracing_exportsOverOTLP(t *testing.T) {
	httpSrv, httpGot := otlpHTTPReceiver(t)
	grpcURL, grpcGot := otlpGRPCReceiver(t)

	tests := []struct {
		name        string
		env         map[string]string
		got         <-chan *collectortrace.ExportTraceServiceRequest
		wantService string
	}{
		{
			name:        "the base endpoint sends http/protobuf to /v1/traces as service chorus",
			env:         map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": httpSrv.URL},
			got:         httpGot,
			wantService: "chorus",
		},
		{
			name: "the traces endpoint is used as is and OTEL_SERVICE_NAME overrides the name",
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": httpSrv.URL + "/v1/traces",
				"OTEL_SERVICE_NAME":                  "chorus-canary",
			},
			got:         httpGot,
			wantService: "chorus-canary",
		},
		{
			name: "the grpc protocol sends to a gRPC collector",
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT": grpcURL,
				"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
				"OTEL_TRACES_EXPORTER":        "otlp",
			},
			got:         grpcGot,
			wantService: "chorus",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			restoreGlobals(t)
			ctx := context.Background()
			tp, shutdown, err := telemetry.SetupTracing(ctx, env(tt.env), "1.2.3")
			require.NoError(t, err)

			_, span := tp.Tracer("test").Start(ctx, "chat echo-a", trace.WithSpanKind(trace.SpanKindClient))
			span.End()
			require.NoError(t, shutdown(ctx)) // flushes the batch

			spans := receiveSpans(t, tt.got)
			require.Len(t, spans, 1)
			require.Equal(t, "chat echo-a", spans[0].span.GetName())
			require.Equal(t, tracepb.Span_SPAN_KIND_CLIENT, spans[0].span.GetKind())
			require.Equal(t, tt.wantService, spans[0].resource["service.name"])
			require.Equal(t, "1.2.3", spans[0].resource["service.version"])
		})
	}
}

func TestSetupTracing_withoutExporterIsNoop(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
	}{
		{name: "nothing set gives a no-op provider", env: map[string]string{}},
		{name: "exporter none wins over an endpoint", env: map[string]string{
			"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
		}},
		{name: "a disabled SDK wins over an endpoint", env: map[string]string{
			"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			restoreGlobals(t)
			tp, shutdown, err := telemetry.SetupTracing(context.Background(), env(tt.env), "dev")
			require.NoError(t, err)
			require.IsType(t, noop.TracerProvider{}, tp)
			_, span := tp.Tracer("test").Start(context.Background(), "x")
			require.False(t, span.IsRecording())
			require.NoError(t, shutdown(context.Background()))
		})
	}
}

func TestSetupTracing_rejectsUnsupportedSettings(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
	}{
		{name: "an unknown exporter is an error", env: map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}},
		{name: "an endpoint without a scheme is an error", env: map[string]string{
			"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318",
		}},
		{name: "a grpc endpoint without a scheme is an error", env: map[string]string{
			"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
		}},
		{name: "an unknown protocol is an error", env: map[string]string{
			"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			restoreGlobals(t)
			_, _, err := telemetry.SetupTracing(context.Background(), env(tt.env), "dev")
			require.Error(t, err)
		})
	}
}

func TestSetupTracing_installsW3CPropagation(t *testing.T) {
	restoreGlobals(t)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator())
	_, _, err := telemetry.SetupTracing(context.Background(), env(nil), "dev")
	require.NoError(t, err)

	const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	in := propagation.MapCarrier{"traceparent": parent, "baggage": "tenant=a"}
	ctx := otel.GetTextMapPropagator().Extract(context.Background(), in)
	sc := trace.SpanContextFromContext(ctx)
	require.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", sc.TraceID().String())

	out := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, out)
	require.Equal(t, parent, out["traceparent"])
	require.Equal(t, "tenant=a", out["baggage"])
}
