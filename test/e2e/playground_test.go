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
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// The /ui playground in a real headless Chromium: a prompt streams an
// answer with live progress, then the timeline and the candidates of the
// workflow appear; one worker always fails and its bar says so.
func TestPlaygroundShowsTheWorkflow(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 4, Faults: fakeupstream.ForModel(mWorkerOll, fakeupstream.Fault500)}})
	for _, vp := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(vp.name, func(t *testing.T) {
			p := browser.Open(t, vp.width, vp.height, 90*time.Second)
			p.Do(chromedp.Navigate(s.base+"/ui"), chromedp.WaitVisible(chromedp.CSS("#prompt")))
			require.Equal(t, s.base+"/ui/", browser.Eval[string](p, "location.href"), "/ui redirects to the page's directory")
			require.Equal(t, workflowName, browser.Eval[string](p, `document.querySelector("#model").value`), "the workflow is picked first")

			p.Do(chromedp.SendKeys(chromedp.CSS("#prompt"), "Which sorting algorithm is stable?"),
				chromedp.Click(chromedp.CSS("#send")),
				chromedp.WaitVisible(chromedp.CSS("#timeline .row")))
			progress := browser.Eval[string](p, `document.querySelector("#progress").textContent`)
			require.Contains(t, progress, "worker B failed: upstream 500", "live progress lines")
			require.Regexp(t, `(?m)^worker A done in`, progress)
			answer := browser.Eval[string](p, `document.querySelector("#answer").textContent`)
			require.NotEmpty(t, answer)

			kinds := browser.Eval[[]string](p, `[...document.querySelectorAll("#timeline .row")].map(r => r.dataset.kind + ":" + r.dataset.status)`)
			// One candidate is left, so the selector makes no call: a row without a bar.
			require.Equal(t, []string{"plan:ok", "analyzer:ok", "worker:ok", "worker:failed", "selector:skipped", "synthesizer:ok"}, kinds)
			require.Equal(t, 5, browser.Eval[int](p, `document.querySelectorAll("#timeline .row .bar").length`), "one bar per upstream call and one for the plan")
			failed := browser.Eval[[]string](p, `[...document.querySelectorAll('#timeline .row[data-status="failed"]')].map(r => r.dataset.error)`)
			require.Len(t, failed, 1, "the failing worker's bar is marked failed")
			require.Contains(t, failed[0], "upstream status 500")

			selected := browser.Eval[[]string](p, `[...document.querySelectorAll("#candidates .candidate.selected")].map(c => c.dataset.label)`)
			require.Equal(t, []string{"Response A"}, selected, "the only candidate is selected")
			require.Contains(t, browser.Eval[string](p, `document.querySelector("#candidates .final pre").textContent`), answer)

			p.Do(chromedp.Click(chromedp.CSS("#timeline .row.worker")))
			require.Contains(t, browser.Eval[string](p, `document.querySelector("#detail").textContent`), "temperature")
			p.Screenshot("playground-" + vp.name)
			require.Empty(t, p.ConsoleErrors())
		})
	}
}

// With api_keys the page asks for a key and lists no model until it has
// one; the API stays closed without it.
func TestPlaygroundAsksForTheKey(t *testing.T) {
	const key = "sk-playground"
	s := startStack(t, stackOptions{tune: func(c *config.Settings) { c.Server.APIKeys = []domain.Secret{domain.NewSecret(key)} }})
	r := s.call(t, http.MethodGet, "/v1/models", "", nil)
	require.Equal(t, http.StatusUnauthorized, r.status, "API calls need the key")
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
