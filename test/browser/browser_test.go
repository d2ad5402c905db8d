package browser_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/browser"
)

// The helper sees a page's console errors and uncaught exceptions, and
// saves a real PNG.
func TestPageCollectsConsoleErrorsAndScreenshots(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><title>t</title><p id="ok">hello</p>
<script>console.error("boom"); setTimeout(() => { throw new Error("late") });</script>`))
	}))
	defer srv.Close()
	p := browser.Open(t, 800, 600, time.Minute)
	p.Do(chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("#ok")))
	require.Equal(t, "hello", browser.Eval[string](p, `document.querySelector("#ok").textContent`))
	require.Eventually(t, func() bool { return len(p.ConsoleErrors()) >= 2 }, 10*time.Second, 20*time.Millisecond)
	errs := p.ConsoleErrors()
	require.Contains(t, errs[0], "boom")
	require.Contains(t, errs[1], "late")
	path := p.Screenshot("page")
	png, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "\x89PNG", string(png[:4]))
}

// A phone width is the page's real viewport, not the headless window's
// minimum width.
func TestOpenSetsTheViewport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><meta name="viewport" content="width=device-width"><p id="ok">hi</p>`))
	}))
	defer srv.Close()
	p := browser.Open(t, 390, 844, time.Minute)
	p.Do(chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("#ok")))
	require.Equal(t, []int{390, 844}, browser.Eval[[]int](p, `[innerWidth, innerHeight]`))
}
