package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
)

// Errors Chorus answers before any model runs (auth, body size, media type)
// follow the official document of the route's dialect on every generation
// route: OpenAI's error object on /v1/*, Ollama's {"error":"<string>"} on
// /api/*. The stack's recorder validates each answer; this test also checks
// the shape itself so it cannot pass on an empty recorder.
func TestEarlyErrorsFollowTheOfficialDocumentOfEachDialect(t *testing.T) {
	const key = "official-key"
	s := startStack(t, stackOptions{tune: func(st *config.Settings) {
		st.Server.APIKeys = []domain.Secret{domain.NewSecret(key)}
		st.Server.MaxBodyBytes = 2048
	}})
	auth := map[string]string{"Authorization": "Bearer " + key}
	big := strings.Repeat("x", 4096)
	routes := map[string]string{
		"/v1/chat/completions": `{"model":"chorus","messages":[{"role":"user","content":"X"}]}`,
		"/v1/completions":      `{"model":"chorus","prompt":"X"}`,
		"/v1/responses":        `{"model":"chorus","input":"X"}`,
		"/api/chat":            `{"model":"chorus","messages":[{"role":"user","content":"X"}]}`,
		"/api/generate":        `{"model":"chorus","prompt":"X"}`,
	}
	before := s.official.Checked()
	for route, body := range routes {
		for _, tc := range []struct {
			name   string
			status int
			body   string
			hdr    map[string]string
		}{
			{"no key", http.StatusUnauthorized, body, nil},
			{"body over max_body_bytes", http.StatusRequestEntityTooLarge, strings.Replace(body, "X", big, 1), auth},
			{"text/plain body", http.StatusUnsupportedMediaType, body, map[string]string{
				"Authorization": "Bearer " + key, "Content-Type": "text/plain"}},
		} {
			t.Run(route+" "+tc.name, func(t *testing.T) {
				r := s.raw(t.Context(), t, http.MethodPost, route, tc.body, tc.hdr)
				require.Equal(t, tc.status, r.status, string(r.body))
				validateOfficial(t, http.MethodPost, route, r)
				if strings.HasPrefix(route, "/api/") {
					require.NotEmpty(t, str(decodeMap(t, r.body)["error"]), "Ollama's error is a string: %s", r.body)
				} else {
					require.Nil(t, path(decodeMap(t, r.body), "error", "param"), "OpenAI's error has param null")
					require.NotEmpty(t, str(path(decodeMap(t, r.body), "error", "message")), string(r.body))
				}
			})
		}
	}
	require.Equal(t, before+3*len(routes), s.official.Checked(), "the recorder saw every answer")
	require.NoError(t, s.official.Problems())
	s.noPanics(t)
}

// The legacy completions stream with include_usage: frames before the last
// carry finish_reason null and usage null (CreateCompletionResponse with
// those two fields relaxed, official.CompletionChunkSchema), the frame that
// finishes and the usage frame are the official object unchanged.
func TestLegacyCompletionsStreamMeetsTheChunkRule(t *testing.T) {
	s := startStack(t, stackOptions{})
	for _, model := range []string{workflowName, mWorkerOAI} {
		t.Run(model, func(t *testing.T) {
			r := s.call(t, http.MethodPost, "/v1/completions", `{"model":"`+model+`","prompt":"count","stream":true,`+
				`"stream_options":{"include_usage":true},"include_workflow":true}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			events, _ := parseSSE(t, r.body)
			var unfinished, finished, usage int
			for _, ev := range events {
				if ev.data == "[DONE]" {
					continue
				}
				m := decodeMap(t, []byte(ev.data))
				switch {
				case len(asList(m["choices"])) == 0:
					require.NotNil(t, m["usage"], "the usage frame")
					usage++
				case path(m, "choices", 0, "finish_reason") == nil:
					unfinished++
				default:
					require.Equal(t, "stop", path(m, "choices", 0, "finish_reason"))
					finished++
				}
			}
			require.Positive(t, unfinished)
			require.Equal(t, 1, finished)
			require.Equal(t, 1, usage)
		})
	}
	s.noPanics(t)
}
