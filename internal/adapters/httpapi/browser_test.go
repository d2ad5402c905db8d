package httpapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"
)

const chatJSON = `{"model":"chorus","messages":[{"role":"user","content":"hi"}]}`

// post sends a POST over a real loopback connection with the given headers
// (name, value pairs) and returns the response with its body read.
func post(t *testing.T, url, path, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+path, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

// With no api_keys (the default), a web page the user visits must not be
// able to drive Chorus: no CORS allowance by default, and the bodies a page
// can POST without a preflight are refused with 415.
func TestBrowserDriveByIsRefused(t *testing.T) {
	s, gw := newTestServer(t)
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(result("answer"), nil).AnyTimes()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	t.Run("no Access-Control-Allow-Origin by default", func(t *testing.T) {
		resp, _ := post(t, srv.URL, "/v1/chat/completions", chatJSON, "Content-Type", "application/json", "Origin", "https://evil.example")
		require.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
		req, err := http.NewRequestWithContext(t.Context(), http.MethodOptions, srv.URL+"/v1/chat/completions", nil)
		require.NoError(t, err)
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		pre, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		require.NoError(t, pre.Body.Close())
		require.Empty(t, pre.Header.Get("Access-Control-Allow-Origin"), "the preflight grants nothing")
	})
	for _, tc := range []struct {
		name, path string
		headers    []string
		want       int
	}{
		{"text/plain from a page (a simple request) is 415", "/v1/chat/completions", []string{"Content-Type", "text/plain", "Origin", "https://evil.example"}, 415},
		{"text/plain without an Origin is 415 too", "/v1/chat/completions", []string{"Content-Type", "text/plain;charset=UTF-8"}, 415},
		{"multipart is 415", "/api/chat", []string{"Content-Type", "multipart/form-data; boundary=x"}, 415},
		{"a form body from a page is 415", "/api/chat", []string{"Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"}, 415},
		{"no Content-Type from a page is 415", "/v1/chat/completions", []string{"Origin", "https://evil.example"}, 415},
		{"curl -d (form type, no Origin) still works", "/api/chat", []string{"Content-Type", "application/x-www-form-urlencoded"}, 200},
		{"no Content-Type without an Origin still works", "/v1/chat/completions", nil, 200},
		{"JSON with parameters works", "/v1/chat/completions", []string{"Content-Type", "application/json; charset=utf-8"}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := chatJSON
			if tc.path == "/api/chat" {
				body = `{"model":"chorus","stream":false,"messages":[{"role":"user","content":"hi"}]}`
			}
			resp, got := post(t, srv.URL, tc.path, body, tc.headers...)
			require.Equal(t, tc.want, resp.StatusCode, got)
			if tc.want == http.StatusUnsupportedMediaType {
				require.Contains(t, got, "application/json", "the error says what to send")
				require.Contains(t, got, `"error"`, "in the protocol's error shape")
			}
		})
	}
}

func TestBrowserOriginsListedInCORSOriginsMayCall(t *testing.T) {
	s, gw := newTestServer(t, func(o *Options) { o.CORSOrigins = []string{"https://app.example"} })
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(result("answer"), nil).AnyTimes()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, got := post(t, srv.URL, "/v1/chat/completions", chatJSON, "Content-Type", "application/json", "Origin", "https://app.example")
	require.Equal(t, http.StatusOK, resp.StatusCode, got)
	require.Equal(t, "https://app.example", resp.Header.Get("Access-Control-Allow-Origin"))
	require.Contains(t, resp.Header.Values("Vary"), "Origin")
	other, _ := post(t, srv.URL, "/v1/chat/completions", chatJSON, "Content-Type", "application/json", "Origin", "https://evil.example")
	require.Empty(t, other.Header.Get("Access-Control-Allow-Origin"))
}
