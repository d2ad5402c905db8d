package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/browser"
)

// The workflow in the page (timeline, candidates, a failing worker) is
// checked against the real binary in test/playground.

// With api_keys the page asks for a key and lists no model until it has
// one; the API stays closed without it.
func TestPlaygroundAsksForTheKey(t *testing.T) {
	const key = "sk-playground"
	s := startStack(t, stackOptions{tune: func(c *config.Settings) { c.Server.APIKeys = []domain.Secret{domain.NewSecret(key)} }})
	r := s.call(t, http.MethodGet, "/v1/models", "", nil)
	require.Equal(t, http.StatusUnauthorized, r.status, "API calls need the key")
	r = s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","stream":true,"messages":[{"role":"user","content":"hi"}]}`,
		map[string]string{"Content-Type": "application/json"})
	require.Equal(t, http.StatusUnauthorized, r.status, "the page's chat call needs it too")
	require.Equal(t, http.StatusOK, getStatus(t, s.base+"/ui/app.js"), "the page's static files need none")

	p := browser.Open(t, 1024, 700, 60*time.Second)
	p.Do(chromedp.Navigate(s.base+"/ui/"), chromedp.WaitVisible(chromedp.CSS("#key")))
	require.Zero(t, browser.Eval[int](p, `document.querySelectorAll("#model option").length`), "no model list without a key")
	require.True(t, browser.Eval[bool](p, `document.querySelector("#main").hidden`))
	p.Screenshot("playground-key")
	p.Do(chromedp.SendKeys(chromedp.CSS("#key"), key), chromedp.Click(chromedp.CSS("#key-form button")),
		chromedp.WaitVisible(chromedp.CSS("#prompt")), chromedp.WaitReady(chromedp.CSS("#model option")))
	require.Positive(t, browser.Eval[int](p, `document.querySelectorAll("#model option").length`))
	require.Equal(t, key, browser.Eval[string](p, `sessionStorage.getItem("chorus.key")`), "kept in session storage")
	require.Empty(t, browser.Eval[string](p, `localStorage.getItem("chorus.key") || ""`))
	require.Empty(t, filterAuthNoise(p.ConsoleErrors()))
}

// filterAuthNoise drops the browser's own log line for the expected 401 of
// the first, keyless models call.
func filterAuthNoise(errs []string) []string {
	var out []string
	for _, e := range errs {
		if !strings.Contains(e, "401") {
			out = append(out, e)
		}
	}
	return out
}

func TestPlaygroundCanBeTurnedOff(t *testing.T) {
	s := startStack(t, stackOptions{tune: func(c *config.Settings) { c.Server.UI = false }})
	require.Equal(t, http.StatusNotFound, getStatus(t, s.base+"/ui/"))
}

// getStatus GETs a page file (not an API route, so not in openapi.yaml).
func getStatus(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	return res.StatusCode
}
