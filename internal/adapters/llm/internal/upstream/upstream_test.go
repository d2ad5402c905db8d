package upstream

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestRetryAfter_parses_seconds_and_http_dates(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		header string
		want   time.Duration
		ok     bool
	}{
		{name: "seconds", header: "3", want: 3 * time.Second, ok: true},
		{name: "zero", header: "0", want: 0, ok: true},
		{name: "http date", header: "Wed, 01 Jan 2025 12:00:05 GMT", want: 5 * time.Second, ok: true},
		{name: "date in the past", header: "Wed, 01 Jan 2025 11:00:00 GMT", want: 0, ok: true},
		{name: "absent", header: "", ok: false},
		{name: "negative", header: "-1", ok: false},
		{name: "garbage", header: "soon", ok: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := retryAfter(tc.header, now)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestErrorMessage_finds_the_upstream_message(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{name: "openai error object", body: `{"error":{"message":"Invalid API key","type":"invalid_request_error"}}`, want: "Invalid API key"},
		{name: "ollama error string", body: `{"error":"model not found"}`, want: "model not found"},
		{name: "top-level message", body: `{"message":"Forbidden"}`, want: "Forbidden"},
		{name: "fastapi detail", body: `{"detail":"Not Found"}`, want: "Not Found"},
		{name: "plain text", body: "upstream   connect error\n", want: "upstream connect error"},
		{name: "long body is truncated", body: strings.Repeat("x", 1000), want: strings.Repeat("x", maxMessage) + "…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, ErrorMessage([]byte(tc.body)))
		})
	}
}

func TestProviderError_detects_errors_inside_success_bodies(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		wantOK   bool
		wantCode int
		wantMsg  string
	}{
		{name: "iFlow status string", body: `{"status":"434","msg":"Invalid apiKey"}`, wantOK: true, wantCode: 434, wantMsg: "status 434: Invalid apiKey"},
		{name: "status word", body: `{"status":"failed","message":"boom"}`, wantOK: true, wantMsg: "status failed: boom"},
		{name: "code number", body: `{"code":500,"msg":"internal"}`, wantOK: true, wantCode: 500, wantMsg: "code 500: internal"},
		{name: "success false", body: `{"success":false}`, wantOK: true, wantMsg: "success flag was false"},
		{name: "error null is fine", body: `{"error":null,"status":"ok"}`, wantOK: false},
		{name: "status 200 is fine", body: `{"status":200}`, wantOK: false},
		{name: "code 0 is fine", body: `{"code":0}`, wantOK: false},
		{name: "not JSON", body: `oops`, wantOK: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg, code, ok := ProviderError([]byte(tc.body))
			require.Equal(t, tc.wantOK, ok)
			require.Equal(t, tc.wantCode, code)
			require.Equal(t, tc.wantMsg, msg)
		})
	}
}

func TestRedact_removes_secrets_and_shortens_contents(t *testing.T) {
	body := []byte(`{"model":"gpt-4o","api_key":"k1","Token":"k2","messages":[{"role":"user","content":"` +
		strings.Repeat("é", 40) + `"}],"temperature":0.5}`)

	got := Redact(body, false, "")

	require.NotContains(t, got, "k1")
	require.NotContains(t, got, "k2")
	require.Contains(t, got, `"model":"gpt-4o"`)
	require.Contains(t, got, strings.Repeat("é", 32)+"…(40 chars)")
	require.NotContains(t, got, strings.Repeat("é", 33))
	require.Contains(t, got, `"temperature":0.5`)
}

func TestRedact_bounds_size_and_hides_non_JSON(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"messages":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"role":"user","content":"hi"}`)
	}
	b.WriteString(`]}`)

	got := Redact([]byte(b.String()), false, "")
	require.LessOrEqual(t, len(got), maxLoggedBody+20)
	require.Contains(t, got, "bytes)")

	require.Equal(t, "[non-JSON body, 12 bytes]", Redact([]byte("secret stuff"), false, ""))
	require.JSONEq(t, `{"a":"[REDACTED]"}`, Redact([]byte(`{"a":"sk-1"}`), true, "sk-1"))
}

func TestClassify_tells_canceled_timeout_and_connection_apart(t *testing.T) {
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithTimeout(t.Context(), 0)
	defer cancel2()
	dialErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		want domain.LLMErrorKind
	}{
		{name: "canceled context", ctx: canceled, err: context.Canceled, want: domain.LLMCanceled},
		{name: "expired context", ctx: expired, err: context.DeadlineExceeded, want: domain.LLMTimeout},
		{name: "refused dial", ctx: t.Context(), err: dialErr, want: domain.LLMConnection},
		{name: "net timeout", ctx: t.Context(), err: &net.OpError{Op: "read", Err: timeoutErr{}}, want: domain.LLMTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEndpoint("m", "http://x/y", domain.NewSecret(""), Options{})
			got := e.Classify(tc.ctx, tc.err, 1)
			require.Equal(t, tc.want, got.Kind)
			require.Equal(t, "m", got.Model)
		})
	}
	require.True(t, isDialError(dialErr))
}

// timeoutErr is a net.Error that timed out.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestSafeURL_hides_credentials_in_urls(t *testing.T) {
	require.Equal(t, "https://host/v1?[REDACTED]", safeURL("https://user:pw@host/v1?api-key=abc"))
	require.Equal(t, "http://localhost:11434/api/chat", safeURL("http://localhost:11434/api/chat"))
}

func TestOptions_retries_default_to_two_and_can_be_disabled(t *testing.T) {
	require.Equal(t, 2, Options{}.retries())
	require.Equal(t, 5, Options{MaxRetries: 5}.retries())
	require.Equal(t, 0, Options{MaxRetries: -1}.retries())
}
