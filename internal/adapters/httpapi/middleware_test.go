package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestAuth(t *testing.T) {
	keys := func(o *Options) { o.APIKeys = []domain.Secret{domain.NewSecret("k1"), domain.NewSecret("k2")} }
	for _, tc := range []struct {
		name, path, auth string
		status           int
	}{
		{"no header is 401", "/v1/models", "", 401},
		{"a wrong key is 401", "/v1/models", "Bearer nope", 401},
		{"a key without Bearer is 401", "/api/tags", "k1", 401},
		{"the first key passes", "/v1/models", "Bearer k1", 200},
		{"the second key passes", "/api/tags", "Bearer k2", 200},
		{"healthz needs no key", "/healthz", "", 200},
		{"readyz needs no key", "/readyz", "", 200},
		{"metrics is not on the public port: a key is asked first", "/metrics", "", 401},
		{"pprof is not on the public port: a key is asked first", "/debug/pprof/", "", 401},
		{"metrics is not on the public port", "/metrics", "Bearer k1", 404},
		{"pprof is not on the public port", "/debug/pprof/", "Bearer k1", 404},
		{"openapi needs a key", "/openapi.yaml", "", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t, keys)
			var hdr []string
			if tc.auth != "" {
				hdr = []string{"Authorization", tc.auth}
			}
			rec := serve(t, s, http.MethodGet, tc.path, "", hdr...)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			switch {
			case tc.status == 401 && strings.HasPrefix(tc.path, "/api/"):
				require.Equal(t, errUnauthorized.Error(), ollamaErrorText(t, rec.Body.String()))
			case tc.status == 401:
				require.Equal(t, "unauthorized", obj(t, decodeObject(t, rec.Body.String())["error"])["code"])
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	s, _ := newTestServer(t)
	t.Run("a client id is echoed, sanitized and bounded", func(t *testing.T) {
		rec := serve(t, s, http.MethodGet, "/healthz", "", "X-Request-ID", "abc-123\r\n<script>"+strings.Repeat("z", 300))
		id := rec.Header().Get("X-Request-ID")
		require.True(t, strings.HasPrefix(id, "abc-123script"))
		require.Len(t, id, maxRequestIDLen)
	})
	t.Run("a missing id is generated uniquely", func(t *testing.T) {
		a := serve(t, s, http.MethodGet, "/healthz", "").Header().Get("X-Request-ID")
		b := serve(t, s, http.MethodGet, "/healthz", "").Header().Get("X-Request-ID")
		require.Len(t, a, 32)
		require.NotEqual(t, a, b)
	})
}

func TestAccessLogCarriesRequestTraceAndWorkflowIDs(t *testing.T) {
	var logs syncBuffer
	var observed []string
	s, gw := newTestServer(t, func(o *Options) {
		o.Logger = zerolog.New(&logs)
		o.ObserveRequest = func(route, method string, status int, _ time.Duration) {
			observed = append(observed, method+" "+route+" "+http.StatusText(status))
		}
	})
	var traceInCtx string
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(ctx context.Context, _ domain.ChatRequest) (domain.ChatResult, error) {
		zerolog.Ctx(ctx).Info().Msg("inside")
		traceInCtx = logs.String()
		return result("ok"), nil
	})
	serve(t, s, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","messages":[{"role":"user","content":"x"}]}`,
		"X-Request-ID", "req-1", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	require.Contains(t, traceInCtx, `"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"`, "the engine sees the client's trace")
	out := logs.String()
	require.Contains(t, out, `"request_id":"req-1"`)
	require.Contains(t, out, `"route":"/v1/chat/completions"`)
	require.Contains(t, out, `"workflow_id":"wf-1"`)
	require.Contains(t, out, `"model":"chorus"`)
	require.Contains(t, out, `"status":200`)
	require.Equal(t, []string{"POST /v1/chat/completions OK"}, observed)
}

func TestOperationsRoutes(t *testing.T) {
	ready := true
	s, _ := newTestServer(t, func(o *Options) {
		o.Ready = func() bool { return ready }
		o.CORSOrigins = []string{"*"}
	})
	require.Equal(t, http.StatusOK, serve(t, s, http.MethodGet, "/healthz", "").Code)
	require.Equal(t, http.StatusOK, serve(t, s, http.MethodGet, "/readyz", "").Code)
	ready = false
	require.Equal(t, http.StatusServiceUnavailable, serve(t, s, http.MethodGet, "/readyz", "").Code)
	// /metrics and /debug/pprof live on the admin listener (NewAdmin).
	require.Equal(t, http.StatusNotFound, serve(t, s, http.MethodGet, "/metrics", "").Code)
	require.Equal(t, http.StatusNotFound, serve(t, s, http.MethodGet, "/debug/pprof/", "").Code)
	require.Equal(t, http.StatusNotFound, serve(t, s, http.MethodGet, "/debug/pprof/heap", "").Code)
	require.Equal(t, http.StatusOK, serve(t, s, http.MethodHead, "/api/tags", "").Code)
	root := serve(t, s, http.MethodGet, "/", "")
	require.Equal(t, "Ollama is running", root.Body.String())

	pre := serve(t, s, http.MethodOptions, "/v1/chat/completions", "",
		"Origin", "http://app", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type")
	require.Equal(t, http.StatusNoContent, pre.Code)
	require.Equal(t, "*", pre.Header().Get("Access-Control-Allow-Origin"))
	require.Equal(t, "authorization, content-type", pre.Header().Get("Access-Control-Allow-Headers"))
}

func TestDiscoveryRoutes(t *testing.T) {
	s, _ := newTestServer(t)
	t.Run("version is a numeric Ollama version of at least 0.6.4", func(t *testing.T) {
		v := decodeObject(t, serve(t, s, http.MethodGet, "/api/version", "").Body.String())["version"].(string)
		var major, minor, patch int
		_, err := fmt.Sscanf(v, "%d.%d.%d", &major, &minor, &patch)
		require.NoError(t, err)
		require.True(t, major > 0 || minor > 6 || (minor == 6 && patch >= 4), v)
	})
	t.Run("tags and models list the workflow first", func(t *testing.T) {
		tags := arr(t, decodeObject(t, serve(t, s, http.MethodGet, "/api/tags", "").Body.String())["models"])
		require.Len(t, tags, 3)
		require.Equal(t, "chorus", obj(t, tags[0])["name"])
		models := decodeObject(t, serve(t, s, http.MethodGet, "/v1/models", "").Body.String())
		require.Equal(t, "list", models["object"])
		data := arr(t, models["data"])
		require.Equal(t, "chorus", obj(t, data[0])["id"])
		require.Equal(t, "openai", obj(t, data[1])["owned_by"])
		ps := arr(t, decodeObject(t, serve(t, s, http.MethodGet, "/api/ps", "").Body.String())["models"])
		require.Contains(t, obj(t, ps[0]), "expires_at")
	})
	t.Run("show reports capabilities and a context length", func(t *testing.T) {
		m := decodeObject(t, serve(t, s, http.MethodPost, "/api/show", `{"model":"llama:latest"}`).Body.String())
		require.Equal(t, []any{"completion", "tools"}, m["capabilities"], "tools, and no vision for a vision = false model")
		wf := decodeObject(t, serve(t, s, http.MethodPost, "/api/show", `{"model":"chorus"}`).Body.String())
		require.Equal(t, []any{"completion", "tools", "vision"}, wf["capabilities"])
		info := obj(t, m["model_info"])
		require.EqualValues(t, 131072, info["chorus.context_length"])
		require.Equal(t, "chorus", info["general.architecture"])
	})
}
