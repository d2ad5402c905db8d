package deployments

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// jaegerConfig is the part of the example Jaeger v2 config these tests read
// (a partial view, so unknown fields are allowed).
type jaegerConfig struct {
	Service struct {
		Extensions []string `json:"extensions"`
		Pipelines  map[string]struct {
			Receivers  []string `json:"receivers"`
			Processors []string `json:"processors"`
			Exporters  []string `json:"exporters"`
		} `json:"pipelines"`
	} `json:"service"`
	Extensions struct {
		JaegerStorage struct {
			Backends map[string]any `json:"backends"`
		} `json:"jaeger_storage"`
		JaegerQuery struct {
			Storage struct {
				Traces string `json:"traces"`
			} `json:"storage"`
		} `json:"jaeger_query"`
	} `json:"extensions"`
	Receivers struct {
		OTLP struct {
			Protocols struct {
				GRPC struct{ Endpoint string } `json:"grpc"`
				HTTP struct{ Endpoint string } `json:"http"`
			} `json:"protocols"`
		} `json:"otlp"`
	} `json:"receivers"`
	Exporters struct {
		Storage struct {
			TraceStorage string `json:"trace_storage"`
		} `json:"jaeger_storage_exporter"`
	} `json:"exporters"`
}

func TestJaegerExampleConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("otel", "jaeger-config.yaml"))
	require.NoError(t, err)
	var cfg jaegerConfig
	require.NoError(t, yaml.Unmarshal(data, &cfg))

	t.Run("the traces pipeline goes from OTLP to a defined storage the query reads", func(t *testing.T) {
		p, ok := cfg.Service.Pipelines["traces"]
		require.True(t, ok)
		require.Equal(t, []string{"otlp"}, p.Receivers)
		require.Equal(t, []string{"jaeger_storage_exporter"}, p.Exporters)
		require.Contains(t, cfg.Extensions.JaegerStorage.Backends, cfg.Exporters.Storage.TraceStorage)
		require.Equal(t, cfg.Exporters.Storage.TraceStorage, cfg.Extensions.JaegerQuery.Storage.Traces)
		require.Subset(t, cfg.Service.Extensions, []string{"jaeger_storage", "jaeger_query"})
	})
	t.Run("the OTLP/HTTP port is the one the Deployment exports to", func(t *testing.T) {
		e, ok := envVar(chorusContainer(t, buildBase(t).deployment), "OTEL_EXPORTER_OTLP_ENDPOINT")
		require.True(t, ok)
		u, err := url.Parse(e.Value)
		require.NoError(t, err)
		_, port, err := net.SplitHostPort(cfg.Receivers.OTLP.Protocols.HTTP.Endpoint)
		require.NoError(t, err)
		require.Equal(t, u.Port(), port)
		_, grpcPort, err := net.SplitHostPort(cfg.Receivers.OTLP.Protocols.GRPC.Endpoint)
		require.NoError(t, err)
		require.Equal(t, "4317", grpcPort)
	})
}
