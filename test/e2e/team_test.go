package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
)

// deadBase returns an OpenAI api_base on a loopback port nothing listens on.
func deadBase(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr + "/v1"
}

func TestModelWithDeadDeploymentsAnswersFromItsFallback(t *testing.T) {
	s := startStack(t, stackOptions{extraTOML: fmt.Sprintf(`
[[model]]
name = "primary"
fallbacks = [%q]
  [[model.deployment]]
  api_base = %q
  [[model.deployment]]
  api_base = %q
`, mWorkerOAI, deadBase(t), deadBase(t))})

	for _, rt := range genRoutes {
		for _, stream := range []bool{false, true} {
			body := marshal(t, rt.body("primary", "hello", stream, false))
			r := s.call(t, http.MethodPost, rt.path, body, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			text, final := readAnswer(t, rt, stream, r)
			require.NotEmpty(t, text, "%s stream=%t", rt.name, stream)
			if !stream || rt.ollama {
				require.Equal(t, mWorkerOAI, modelOf(final), "%s stream=%t: the answer names the fallback that answered", rt.name, stream)
			}
			if stream {
				models := streamedModels(t, rt, r.body)
				require.NotEmpty(t, models)
				for i, m := range models {
					require.Equal(t, mWorkerOAI, m, "%s: frame %d names the fallback, as the final answer does", rt.name, i)
				}
			}
		}
	}
	calls := s.fake.Requests()
	require.Len(t, calls, 2*len(genRoutes), "only the fallback reached an upstream")
	for _, c := range calls {
		require.Equal(t, mWorkerOAI, c.Model)
	}
	s.noPanics(t)
}

// modelOf is the model a final answer names (a Responses object's, else
// the top-level one).
func modelOf(final map[string]any) any {
	if resp, ok := final["response"].(map[string]any); ok {
		return resp["model"]
	}
	return final["model"]
}

// streamedModels returns the model every model-bearing frame of a streamed
// answer names: each NDJSON line, each chat or completion chunk, each
// Responses event carrying the response object.
func streamedModels(t *testing.T, rt genRoute, body []byte) []any {
	t.Helper()
	var out []any
	if rt.ollama {
		for _, l := range parseNDJSON(t, body) {
			out = append(out, l["model"])
		}
		return out
	}
	events, _ := parseSSE(t, body)
	for _, ev := range events {
		if ev.data == "[DONE]" {
			continue
		}
		m := decodeMap(t, []byte(ev.data))
		if _, ok := m["model"]; ok {
			out = append(out, m["model"])
		}
		if resp, ok := m["response"].(map[string]any); ok {
			out = append(out, resp["model"])
		}
	}
	return out
}

// withCache turns the in-memory answer cache on.
func withCache(s *config.Settings) {
	s.Cache = config.Cache{Enabled: true, TTL: time.Minute, MaxEntries: 100}
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestCacheAnswersRepeatsWithoutUpstreamCallsOnEveryRoute(t *testing.T) {
	s := startStack(t, stackOptions{tune: withCache})
	for _, rt := range genRoutes {
		for _, stream := range []bool{false, true} {
			body := marshal(t, rt.body(mWorkerOAI, fmt.Sprintf("cache me: %s stream=%t", rt.name, stream), stream, false))
			before := s.fake.Total()
			first := s.call(t, http.MethodPost, rt.path, body, nil)
			require.Equal(t, http.StatusOK, first.status, string(first.body))
			require.Equal(t, "miss", first.header.Get("X-Chorus-Cache"), rt.name)
			require.Equal(t, before+1, s.fake.Total())
			want, _ := readAnswer(t, rt, stream, first)

			again := s.call(t, http.MethodPost, rt.path, body, nil)
			require.Equal(t, http.StatusOK, again.status, string(again.body))
			require.Equal(t, "hit", again.header.Get("X-Chorus-Cache"), rt.name)
			require.Equal(t, before+1, s.fake.Total(), "%s stream=%t: a hit makes no upstream call", rt.name, stream)
			got, _ := readAnswer(t, rt, stream, again)
			require.Equal(t, want, got, "%s stream=%t: the same answer", rt.name, stream)
		}
	}
	s.noPanics(t)
}

func TestCacheKeyCoversSamplingAndToolsAndHonoursNoStore(t *testing.T) {
	s := startStack(t, stackOptions{tune: withCache})
	ask := func(extra map[string]any, hdr map[string]string) response {
		body := map[string]any{"model": mWorkerOAI, "messages": []map[string]any{{"role": "user", "content": "same question"}}}
		for k, v := range extra {
			body[k] = v
		}
		r := s.call(t, http.MethodPost, "/v1/chat/completions", marshal(t, body), hdr)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		return r
	}
	tool := []map[string]any{{"type": "function", "function": map[string]any{"name": "f", "parameters": map[string]any{"type": "object"}}}}
	require.Equal(t, "miss", ask(nil, nil).header.Get("X-Chorus-Cache"))
	require.Equal(t, "hit", ask(nil, nil).header.Get("X-Chorus-Cache"))
	require.Equal(t, "miss", ask(map[string]any{"temperature": 0.3}, nil).header.Get("X-Chorus-Cache"), "other sampling parameters miss")
	require.Equal(t, "miss", ask(map[string]any{"top_p": 0.5}, nil).header.Get("X-Chorus-Cache"))
	require.Equal(t, "miss", ask(map[string]any{"tools": tool}, nil).header.Get("X-Chorus-Cache"), "other tools miss")
	require.Equal(t, "hit", ask(map[string]any{"tools": tool}, nil).header.Get("X-Chorus-Cache"))

	before := s.fake.Total()
	for _, hdr := range []map[string]string{{"Cache-Control": "no-store"}, {"X-Chorus-Cache": "no"}} {
		r := ask(nil, hdr)
		require.Empty(t, r.header.Get("X-Chorus-Cache"), "a bypassed request has no cache outcome")
	}
	require.Equal(t, before+2, s.fake.Total(), "no-store and X-Chorus-Cache: no go upstream")

	// A workflow answer is cached whole: the repeat calls no stage.
	wf := marshal(t, map[string]any{"model": workflowName, "messages": []map[string]any{{"role": "user", "content": "workflow question"}}})
	require.Equal(t, "miss", s.call(t, http.MethodPost, "/v1/chat/completions", wf, nil).header.Get("X-Chorus-Cache"))
	before = s.fake.Total()
	require.Equal(t, "hit", s.call(t, http.MethodPost, "/v1/chat/completions", wf, nil).header.Get("X-Chorus-Cache"))
	require.Equal(t, before, s.fake.Total())
	s.noPanics(t)
}

func TestOptInCacheServesOnlyRequestsThatAskForIt(t *testing.T) {
	s := startStack(t, stackOptions{tune: func(st *config.Settings) {
		withCache(st)
		st.Cache.OptIn = true
	}})
	body := marshal(t, map[string]any{"model": mWorkerOAI, "messages": []map[string]any{{"role": "user", "content": "opt in"}}})
	ask := func(hdr map[string]string) response {
		r := s.call(t, http.MethodPost, "/v1/chat/completions", body, hdr)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		return r
	}
	yes := map[string]string{"X-Chorus-Cache": "yes"}

	before := s.fake.Total()
	require.Empty(t, ask(nil).header.Get("X-Chorus-Cache"), "without the header the request does not use the cache")
	require.Equal(t, "miss", ask(yes).header.Get("X-Chorus-Cache"))
	require.Equal(t, "hit", ask(yes).header.Get("X-Chorus-Cache"))
	require.Empty(t, ask(nil).header.Get("X-Chorus-Cache"), "the entry exists, yet a request that did not ask is not served from it")
	require.Equal(t, before+3, s.fake.Total(), "two requests without the header and the first with it went upstream")
	r := ask(map[string]string{"X-Chorus-Cache": "yes", "Cache-Control": "no-store"})
	require.Empty(t, r.header.Get("X-Chorus-Cache"), "no-store wins over the opt-in")
	s.noPanics(t)
}

func TestRateLimitsPerKey(t *testing.T) {
	const limited, tokenLimited, free = "key-limited", "key-tokens", "key-free"
	s := startStack(t, stackOptions{tune: func(st *config.Settings) {
		st.Server.APIKeys = []domain.Secret{domain.NewSecret(limited), domain.NewSecret(tokenLimited), domain.NewSecret(free)}
		st.Server.KeyLimits = []domain.KeyLimit{
			{Key: domain.NewSecret(limited), RequestsPerMinute: 2},
			{Key: domain.NewSecret(tokenLimited), TokensPerMinute: 5},
		}
	}})
	chat := func(path, key string) response {
		body := `{"model":"` + mWorkerOAI + `","stream":false,"messages":[{"role":"user","content":"hi"}]}`
		return s.raw(t.Context(), t, http.MethodPost, path, body, map[string]string{"Authorization": "Bearer " + key})
	}
	for i := range 2 {
		require.Equal(t, http.StatusOK, chat("/v1/chat/completions", limited).status, "request %d of 2", i+1)
	}
	over := chat("/v1/chat/completions", limited)
	require.Equal(t, http.StatusTooManyRequests, over.status)
	require.NotEmpty(t, over.header.Get("Retry-After"))
	require.Equal(t, "rate_limit_error", str(path(decodeMap(t, over.body), "error", "type")))

	ollama := chat("/api/chat", limited)
	require.Equal(t, http.StatusTooManyRequests, ollama.status)
	require.Contains(t, str(decodeMap(t, ollama.body)["error"]), "rate limit", "Ollama routes answer Ollama's error shape")

	for range 5 {
		require.Equal(t, http.StatusOK, chat("/v1/chat/completions", free).status, "other keys are unaffected")
	}

	first := chat("/v1/chat/completions", tokenLimited)
	require.Equal(t, http.StatusOK, first.status, "the token budget is charged after the answer")
	spent := chat("/v1/chat/completions", tokenLimited)
	require.Equal(t, http.StatusTooManyRequests, spent.status, "the answer's usage spent the 5 tokens per minute")
	require.Contains(t, str(path(decodeMap(t, spent.body), "error", "message")), "tokens")
	require.NotEmpty(t, spent.header.Get("Retry-After"))
	s.noPanics(t)
}
