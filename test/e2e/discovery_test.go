package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/api"
	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

var allModels = []string{workflowName, mAnalyst, mWorkerOAI, mWorkerOll, mJudge, mSynth}

// TestOllamaDiscoveryRoutes checks the routes Ollama clients probe before
// they chat: the banner, tags, version, show and ps.
func TestOllamaDiscoveryRoutes(t *testing.T) {
	s := startStack(t, stackOptions{})
	checkRoutes(t, s, []routeCheck{
		{"GET / says Ollama is running", http.MethodGet, "/", "", func(t *testing.T, r response) {
			require.Equal(t, "Ollama is running", strings.TrimSpace(string(r.body)))
		}},
		{"GET /api/tags lists the workflow first, then every model", http.MethodGet, "/api/tags", "", func(t *testing.T, r response) {
			var names []string
			for _, m := range decodeMap(t, r.body)["models"].([]any) {
				names = append(names, str(path(m, "name")))
				require.NotEmpty(t, path(m, "modified_at"))
			}
			require.Equal(t, allModels, names)
		}},
		{"GET /api/version is numeric and at least 0.6.4", http.MethodGet, "/api/version", "", func(t *testing.T, r response) {
			v := str(decodeMap(t, r.body)["version"])
			parts := strings.Split(v, ".")
			require.Len(t, parts, 3, v)
			nums := make([]int, 3)
			for i, p := range parts {
				n, err := strconv.Atoi(p)
				require.NoError(t, err, v)
				nums[i] = n
			}
			require.True(t, nums[0] > 0 || nums[1] > 6 || (nums[1] == 6 && nums[2] >= 4), v)
		}},
		{"POST /api/show reports capabilities and a context length", http.MethodPost, "/api/show", `{"model":"chorus"}`, func(t *testing.T, r response) {
			m := decodeMap(t, r.body)
			require.Contains(t, m["capabilities"], "completion")
			info, ok := m["model_info"].(map[string]any)
			require.True(t, ok)
			found := false
			for k, v := range info {
				if strings.HasSuffix(k, "context_length") {
					found = v.(float64) > 0
				}
			}
			require.True(t, found, "model_info has a *.context_length: %v", info)
		}},
		{"POST /api/show knows configured models", http.MethodPost, "/api/show", `{"model":"w-openai"}`, func(t *testing.T, r response) {
			require.Equal(t, http.StatusOK, r.status)
		}},
		{"GET /api/ps answers with a models list", http.MethodGet, "/api/ps", "", func(t *testing.T, r response) {
			require.Contains(t, decodeMap(t, r.body), "models")
		}},
	})
	s.noPanics(t)
}

// TestOpenAIDiscoveryAndOperationsRoutes checks the OpenAI models routes
// and the operations routes (health, readiness, contract, metrics).
func TestOpenAIDiscoveryAndOperationsRoutes(t *testing.T) {
	s := startStack(t, stackOptions{})
	checkRoutes(t, s, []routeCheck{
		{"GET /v1/models lists the workflow first, then every model", http.MethodGet, "/v1/models", "", func(t *testing.T, r response) {
			m := decodeMap(t, r.body)
			require.Equal(t, "list", m["object"])
			var ids []string
			for _, d := range m["data"].([]any) {
				ids = append(ids, str(path(d, "id")))
				require.Equal(t, "model", path(d, "object"))
			}
			require.Equal(t, allModels, ids)
			require.NotContains(t, string(r.body), fakeKey, "keys never appear in the models list")
		}},
		{"GET /v1/models/{model} answers a listed model", http.MethodGet, "/v1/models/" + mWorkerOAI, "", func(t *testing.T, r response) {
			m := decodeMap(t, r.body)
			require.Equal(t, mWorkerOAI, m["id"])
			require.Equal(t, "model", m["object"])
		}},
		{"GET /healthz is ok", http.MethodGet, "/healthz", "", func(t *testing.T, r response) {}},
		{"GET /readyz is ready", http.MethodGet, "/readyz", "", func(t *testing.T, r response) {}},
		{"GET /openapi.yaml serves the contract", http.MethodGet, "/openapi.yaml", "", func(t *testing.T, r response) {
			require.Equal(t, api.Spec, r.body)
		}},
	})
	t.Run("GET /v1/models/{model} of an unknown id is a 404", func(t *testing.T) {
		r := s.call(t, http.MethodGet, "/v1/models/nope", "", nil)
		require.Equal(t, http.StatusNotFound, r.status)
		checkErrorBody(t, r, "model nope not found")
	})

	t.Run("GET /metrics on the admin listener exposes request and upstream metrics in Prometheus format", func(t *testing.T) {
		s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","messages":[{"role":"user","content":"count me"}]}`, nil)
		body := s.scrape(t)
		require.Contains(t, body, "# TYPE")
		require.Contains(t, body, "/v1/chat/completions", "request metrics are labelled by route")
		require.Contains(t, body, mSynth, "upstream metrics are labelled by model")
	})
	t.Run("the public port serves neither /metrics nor /debug/pprof", func(t *testing.T) {
		for _, p := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/heap"} {
			r := s.raw(t.Context(), t, http.MethodGet, p, "", nil)
			require.Equal(t, http.StatusNotFound, r.status, p)
			checkErrorBody(t, r, "")
		}
	})
	s.noPanics(t)
}

// routeCheck is a request that must answer 200 and what else its answer
// must hold.
type routeCheck struct {
	name   string
	method string
	path   string
	body   string
	check  func(t *testing.T, r response)
}

func checkRoutes(t *testing.T, s *stack, checks []routeCheck) {
	t.Helper()
	for _, tt := range checks {
		t.Run(tt.name, func(t *testing.T) {
			r := s.call(t, tt.method, tt.path, tt.body, nil)
			require.Equal(t, http.StatusOK, r.status, truncate(r.body, 400))
			tt.check(t, r)
		})
	}
}

func TestOllamaRoutesStreamSSEWhenAsked(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 3}})
	for _, rt := range genRoutes[:2] {
		t.Run(rt.name+" with Accept: text/event-stream", func(t *testing.T) {
			s.fake.Reset()
			body := `{"model":"chorus","prompt":"sse please","messages":[{"role":"user","content":"sse please"}]}`
			r := s.call(t, http.MethodPost, rt.path, body, map[string]string{"Accept": "text/event-stream"})
			require.Equal(t, http.StatusOK, r.status)
			require.Contains(t, r.header.Get("Content-Type"), "text/event-stream")
			events, _ := parseSSE(t, r.body)
			require.Equal(t, "[DONE]", events[len(events)-1].data)
			var text strings.Builder
			for _, ev := range events[:len(events)-1] {
				text.WriteString(rt.chunkText(ev, decodeMap(t, []byte(ev.data))))
			}
			require.Equal(t, fakeupstream.AnswerFor(lastCallTo(t, s.fake.Requests(), mSynth)).Text, text.String())
		})
	}
}

func TestErrorsAreTypedAndMatchTheContract(t *testing.T) {
	s := startStack(t, stackOptions{tune: func(st *config.Settings) { st.Server.MaxBodyBytes = 2048 }})
	tests := []struct {
		name    string
		method  string
		path    string
		body    string
		status  int
		message string
	}{
		{"bad JSON is a 400", http.MethodPost, "/v1/chat/completions", `{"model":`, 400, ""},
		{"a wrong type is a 400", http.MethodPost, "/api/chat", `{"model":"chorus","messages":"nope"}`, 400, ""},
		{"missing messages is a 400", http.MethodPost, "/v1/chat/completions", `{"model":"chorus"}`, 400, ""},
		{"a Responses request without input is the exact 400", http.MethodPost, "/v1/responses", `{"model":"chorus"}`, 400,
			"invalid request: missing input/messages/prompt/instructions"},
		{"a body over max_body_bytes is a 413", http.MethodPost, "/v1/chat/completions",
			`{"model":"chorus","messages":[{"role":"user","content":"` + strings.Repeat("x", 4096) + `"}]}`, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.call(t, tt.method, tt.path, tt.body, nil)
			require.Equal(t, tt.status, r.status, string(r.body))
			checkErrorBody(t, r, tt.message)
		})
	}
	t.Run("an unknown route is a 404 with the error object", func(t *testing.T) {
		r := s.raw(t.Context(), t, http.MethodGet, "/v2/nothing", "", nil)
		require.Equal(t, http.StatusNotFound, r.status)
		checkErrorBody(t, r, "")
	})
	s.noPanics(t)
}

func TestUpstreamFailuresMapToTypedErrors(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Faults: func(r fakeupstream.Request) fakeupstream.Fault {
		if r.Model == mWorkerOAI || r.Model == mWorkerOll {
			return fakeupstream.Fault500
		}
		return fakeupstream.FaultNone
	}}})
	t.Run("every worker failing is a 502 listing each worker", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","messages":[{"role":"user","content":"x"}]}`, nil)
		require.Equal(t, http.StatusBadGateway, r.status)
		msg := checkErrorBody(t, r, "")
		require.Contains(t, msg, "All worker models failed")
		require.Contains(t, msg, mWorkerOAI)
		require.Contains(t, msg, mWorkerOll)
	})
	t.Run("a passthrough upstream failure is a 502", func(t *testing.T) {
		r := s.call(t, http.MethodPost, "/api/chat", `{"model":"w-ollama","stream":false,"messages":[{"role":"user","content":"x"}]}`, nil)
		require.Equal(t, http.StatusBadGateway, r.status)
		checkErrorBody(t, r, "")
	})
	s.noPanics(t)
}

func TestInboundAuth(t *testing.T) {
	s := startStack(t, stackOptions{extraTOML: "", tune: func(st *config.Settings) {
		st.Server.APIKeys = []domain.Secret{domain.NewSecret("inbound-key")}
	}})
	t.Run("routes need the bearer key", func(t *testing.T) {
		r := s.call(t, http.MethodGet, "/v1/models", "", nil)
		require.Equal(t, http.StatusUnauthorized, r.status)
		checkErrorBody(t, r, "")
		r = s.call(t, http.MethodGet, "/v1/models", "", map[string]string{"Authorization": "Bearer wrong"})
		require.Equal(t, http.StatusUnauthorized, r.status)
		r = s.call(t, http.MethodGet, "/v1/models", "", map[string]string{"Authorization": "Bearer inbound-key"})
		require.Equal(t, http.StatusOK, r.status)
	})
	t.Run("health and readiness stay open; metrics are open on the admin listener only", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/readyz"} {
			r := s.call(t, http.MethodGet, p, "", nil)
			require.Equal(t, http.StatusOK, r.status, p)
		}
		require.Contains(t, s.scrape(t), "chorus_http_requests_total", "no key on the admin listener")
		r := s.raw(t.Context(), t, http.MethodGet, "/metrics", "", map[string]string{"Authorization": "Bearer inbound-key"})
		require.Equal(t, http.StatusNotFound, r.status, "not on the public port, even with a key")
	})
}

// checkErrorBody checks the {"error":{"message","type","code"}} shape and
// returns the message.
func checkErrorBody(t *testing.T, r response, wantMessage string) string {
	t.Helper()
	m := decodeMap(t, r.body)
	if msg, ok := m["error"].(string); ok {
		require.NotEmpty(t, msg, "Ollama's error: %s", r.body)
		if wantMessage != "" {
			require.Equal(t, wantMessage, msg)
		}
		return msg
	}
	e, ok := m["error"].(map[string]any)
	require.True(t, ok, "error object: %s", r.body)
	require.NotEmpty(t, e["message"])
	require.NotEmpty(t, e["type"])
	require.Contains(t, e, "code")
	if wantMessage != "" {
		require.Equal(t, wantMessage, e["message"])
	}
	return str(e["message"])
}
