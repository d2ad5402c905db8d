package ui_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/ui"
)

func get(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	ui.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestTheBarePathRedirectsRelativelySoAProxyPrefixSurvives(t *testing.T) {
	rec := get(t, "/ui")
	require.Equal(t, http.StatusMovedPermanently, rec.Code)
	require.Equal(t, "ui/", rec.Header().Get("Location"))
}

func TestThePageAndItsModulesAreServedWithOnlyRelativeURLs(t *testing.T) {
	page := get(t, "/ui/")
	require.Equal(t, http.StatusOK, page.Code)
	require.Contains(t, page.Header().Get("Content-Security-Policy"), "default-src 'self'")
	for _, f := range []string{"app.js", "api.js", "dom.js", "timeline.js", "candidates.js", "style.css"} {
		rec := get(t, "/ui/"+f)
		require.Equal(t, http.StatusOK, rec.Code, f)
		body := page.Body.String() + rec.Body.String()
		require.NotContains(t, body, "http://", "%s: no absolute or external URL", f)
		require.NotContains(t, body, "https://", "%s: no absolute or external URL", f)
		require.False(t, strings.Contains(body, `"/v1`) || strings.Contains(body, "'/v1"), "%s: API paths are relative", f)
	}
	require.Equal(t, http.StatusNotFound, get(t, "/ui/missing.js").Code)
}

func TestIsPath(t *testing.T) {
	for path, want := range map[string]bool{"/ui": true, "/ui/": true, "/ui/app.js": true, "/uix": false, "/v1/models": false} {
		require.Equal(t, want, ui.IsPath(path), path)
	}
}
