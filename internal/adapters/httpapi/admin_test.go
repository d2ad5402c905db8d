package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAdminHandler(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("chorus_up 1\n")) })
	get := func(h http.Handler, method, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec
	}
	t.Run("metrics, probes and pprof when on", func(t *testing.T) {
		ready := true
		h := NewAdmin(AdminOptions{Metrics: metrics, Pprof: true, Ready: func() bool { return ready }})
		require.Equal(t, "chorus_up 1\n", get(h, http.MethodGet, "/metrics").Body.String())
		require.Equal(t, http.StatusOK, get(h, http.MethodHead, "/metrics").Code)
		require.JSONEq(t, `{"status":"ok"}`, get(h, http.MethodGet, "/healthz").Body.String())
		require.JSONEq(t, `{"status":"ready"}`, get(h, http.MethodGet, "/readyz").Body.String())
		ready = false
		rec := get(h, http.MethodGet, "/readyz")
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.JSONEq(t, `{"status":"draining"}`, rec.Body.String())
		for _, p := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline", "/debug/pprof/symbol"} {
			require.Equal(t, http.StatusOK, get(h, http.MethodGet, p).Code, p)
		}
		require.Equal(t, http.StatusNotFound, get(h, http.MethodGet, "/v1/models").Code, "no API route on the admin listener")
		require.Equal(t, http.StatusMethodNotAllowed, get(h, http.MethodPost, "/metrics").Code)
	})
	t.Run("pprof off by default, metrics 404 without a handler", func(t *testing.T) {
		h := NewAdmin(AdminOptions{})
		require.Equal(t, http.StatusNotFound, get(h, http.MethodGet, "/debug/pprof/").Code)
		require.Equal(t, http.StatusNotFound, get(h, http.MethodGet, "/debug/pprof/heap").Code)
		require.Equal(t, http.StatusNotFound, get(h, http.MethodGet, "/metrics").Code)
		require.Equal(t, http.StatusOK, get(h, http.MethodGet, "/readyz").Code, "nil Ready is always ready")
	})
}
