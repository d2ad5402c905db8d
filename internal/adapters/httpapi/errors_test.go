package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestErrorTable_ClientMistakes(t *testing.T) {
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"malformed JSON", http.MethodPost, "/v1/chat/completions", `{"messages":`, 400, "invalid_request"},
		{"empty body", http.MethodPost, "/api/chat", ``, 400, "invalid_request"},
		{"wrong type", http.MethodPost, "/v1/chat/completions", `{"messages":"hi"}`, 400, "invalid_request"},
		{"wrong stream type", http.MethodPost, "/api/generate", `{"prompt":"x","stream":"yes"}`, 400, "invalid_request"},
		{"missing messages", http.MethodPost, "/api/chat", `{"model":"chorus"}`, 400, "invalid_request"},
		{"missing prompt", http.MethodPost, "/api/generate", `{"model":"chorus"}`, 400, "invalid_request"},
		{"completions prompt of numbers", http.MethodPost, "/v1/completions", `{"prompt":[1,2]}`, 400, "invalid_request"},
		{"unknown role", http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"wizard","content":"x"}]}`, 400, "invalid_request"},
		{"bad content part", http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"user","content":[{"type":"audio"}]}]}`, 400, "invalid_request"},
		{"temperature out of range", http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}],"temperature":9}`, 400, "invalid_request"},
		{"responses with a non-string model", http.MethodPost, "/v1/responses", `{"model":1,"input":"x"}`, 400, "invalid_request"},
		{"show without a model", http.MethodPost, "/api/show", `{}`, 400, "invalid_request"},
		{"show of an unknown model", http.MethodPost, "/api/show", `{"model":"nope"}`, 404, "not_found"},
		{"unknown route", http.MethodGet, "/api/nothing", ``, 404, "not_found"},
		{"wrong method", http.MethodGet, "/api/chat", ``, 405, "method_not_allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t) // no gateway call may happen
			rec := serve(t, s, tc.method, tc.path, tc.body)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			if strings.HasPrefix(tc.path, "/api/") {
				require.NotEmpty(t, ollamaErrorText(t, rec.Body.String()))
				return
			}
			e := obj(t, decodeObject(t, rec.Body.String())["error"])
			require.Equal(t, tc.code, e["code"])
			require.NotEmpty(t, e["message"])
			require.NotEmpty(t, e["type"])
			require.Contains(t, e, "param", "OpenAI's Error requires param (nullable)")
			require.Nil(t, e["param"])
		})
	}
}

// ollamaErrorText reads Ollama's error body, {"error":"<text>"}.
func ollamaErrorText(t *testing.T, body string) string {
	t.Helper()
	msg, ok := decodeObject(t, body)["error"].(string)
	require.True(t, ok, `Ollama's error is {"error":"<text>"}, got %s`, body)
	return msg
}

func TestErrorTable_TypeErrorsNameJSONKinds(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"an array given a string", `{"messages":"hi"}`, `field "messages" must be an array, got string`},
		{"a boolean given a string", `{"messages":[],"stream":"yes"}`, `field "stream" must be a boolean, got string`},
		{"a number given an object", `{"messages":[],"temperature":{}}`, `field "temperature" must be a number, got object`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			rec := serve(t, s, http.MethodPost, "/v1/chat/completions", tc.body)
			require.Equal(t, http.StatusBadRequest, rec.Code)
			msg := obj(t, decodeObject(t, rec.Body.String())["error"])["message"]
			require.Equal(t, "invalid JSON body: "+tc.want, msg)
			require.NotContains(t, msg, "httpapi.")
		})
	}
}

// TestErrorTable_ErrorShapeFollowsTheRoute: /api/* errors are Ollama's
// string error and /v1/* errors OpenAI's object, whoever the client is.
func TestErrorTable_ErrorShapeFollowsTheRoute(t *testing.T) {
	for _, tc := range []struct {
		name, path, agent string
		ollamaShape       bool
	}{
		{"ollama-js on an Ollama route", "/api/chat", "ollama-js/0.6.4 (x64 linux Node.js/v20.20.2)", true},
		{"curl on an Ollama route", "/api/chat", "curl/8.5.0", true},
		{"Open WebUI on an Ollama route", "/api/chat", "Python/3.11 aiohttp/3.11", true},
		{"ollama-js on an OpenAI route", "/v1/chat/completions", "ollama-js/0.6.4", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t)
			req := httptest.NewRequest(http.MethodPost, tc.path, strings.NewReader(`{"messages":"x"}`))
			req.Header.Set("User-Agent", tc.agent)
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			require.Equal(t, http.StatusBadRequest, rec.Code)
			if tc.ollamaShape {
				require.Equal(t, `invalid JSON body: field "messages" must be an array, got string`, ollamaErrorText(t, rec.Body.String()))
				return
			}
			require.Equal(t, "invalid_request", obj(t, decodeObject(t, rec.Body.String())["error"])["code"])
		})
	}
}

func TestErrorTable_BodyLimit(t *testing.T) {
	small := func(o *Options) { o.MaxBodyBytes = 64 }
	big := `{"messages":[{"role":"user","content":"` + strings.Repeat("x", 100) + `"}]}`
	t.Run("a declared oversize body is 413", func(t *testing.T) {
		s, _ := newTestServer(t, small)
		rec := serve(t, s, http.MethodPost, "/v1/chat/completions", big)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		e := obj(t, decodeObject(t, rec.Body.String())["error"])
		require.Equal(t, "payload_too_large", e["code"])
		require.Equal(t, "request body too large: the limit is 64 bytes; raise [server] max_body_bytes to accept larger requests", e["message"],
			"the message names the limit and the setting")
	})
	t.Run("a chunked oversize body is 413", func(t *testing.T) {
		s, _ := newTestServer(t, small)
		req := httptest.NewRequest(http.MethodPost, "/api/chat", strings.NewReader(big))
		req.ContentLength = -1
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, rec.Body.String())
		require.Equal(t, "request body too large: the limit is 64 bytes; raise [server] max_body_bytes to accept larger requests",
			ollamaErrorText(t, rec.Body.String()))
	})
}

func TestErrorTable_GatewayFailures(t *testing.T) {
	secret := "sk-very-secret"
	for _, tc := range []struct {
		name    string
		err     error
		status  int
		code    string
		message string // substring the client sees
	}{
		{"all workers failed", &domain.AllWorkersFailedError{Plan: "p", Failures: []domain.WorkerFailure{{Label: "w1", Err: dialRefused("w1")}}}, 502, "upstream_error",
			"All worker models failed: w1: model w1: could not connect to the upstream"},
		{"connection failure names the model, not the address", fmt.Errorf("passthrough m: %w", dialRefused("m")), 502, "upstream_error", "model m: could not connect to the upstream"},
		{"upstream status", &domain.LLMError{Model: "m", Kind: domain.LLMStatus, Status: 503, Message: "busy"}, 502, "upstream_error", "model m: upstream answered HTTP 503: busy"},
		{"stage timeout", &domain.StageError{Stage: "synthesizer", Err: domain.ErrStageTimeout}, 504, "timeout", "synthesizer"},
		{"deadline", fmt.Errorf("run: %w", context.DeadlineExceeded), 504, "timeout", "stage timeout"},
		{"unknown model", fmt.Errorf("resolve: %w", domain.ErrUnknownModel), 404, "not_found", "unknown model"},
		{"domain invalid request", domain.InvalidRequest("messages must not be empty"), 400, "invalid_request", "messages must not be empty"},
		{"unexpected error hides its text", errors.New("db password " + secret), 500, "internal_error", "internal server error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, gw := newTestServer(t)
			gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(domain.ChatResult{}, tc.err)
			rec := serve(t, s, http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`)
			require.Equal(t, tc.status, rec.Code)
			e := obj(t, decodeObject(t, rec.Body.String())["error"])
			require.Equal(t, tc.code, e["code"])
			require.Contains(t, e["message"], tc.message)
			require.NotContains(t, rec.Body.String(), secret)
			require.NotContains(t, rec.Body.String(), "127.0.0.1", "the upstream's address stays in the logs")
			require.NotContains(t, rec.Body.String(), "dial tcp")
		})
	}
}

// dialRefused is the error a model whose upstream refuses connections
// returns: its message names the operator's upstream address.
func dialRefused(model string) error {
	return &domain.LLMError{Model: model, Kind: domain.LLMConnection,
		Message: "dial tcp 127.0.0.1:9: connect: connection refused"}
}

func TestErrorTable_ClientGoneWritesNothing(t *testing.T) {
	s, gw := newTestServer(t)
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(domain.ChatResult{}, fmt.Errorf("worker: %w", context.Canceled))
	var status int
	s.opts.ObserveRequest = func(_, _ string, st int, _ time.Duration) { status = st }
	rec := serve(t, s, http.MethodPost, "/api/chat", `{"stream":false,"messages":[{"role":"user","content":"x"}]}`)
	require.Empty(t, rec.Body.String())
	require.Equal(t, statusClientClosed, status)
}

func TestErrorTable_PanicIsA500(t *testing.T) {
	s, gw := newTestServer(t)
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(func(context.Context, domain.ChatRequest) (domain.ChatResult, error) {
		panic("boom")
	})
	rec := serve(t, s, http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`)
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	require.NotContains(t, rec.Body.String(), "boom")
}
