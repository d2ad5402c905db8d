package eval

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/browser"
)

// The HTML report opens from disk with no network: its three charts render
// as SVG with their bars, points and axes, it loads no resource at all and
// logs no console error. The screenshot is kept as an artifact.
func TestEvalReport_RendersInABrowserOffline(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, _, stderr := chorus(t, "eval", "--demo", "--prompts", filepath.Join(repoRoot, "examples", "eval", "prompts.jsonl"), "--out", out)
	require.Equal(t, 0, code, stderr)

	p := browser.Open(t, 1000, 900, 2*time.Minute)
	p.Do(chromedp.Navigate("file://"+filepath.Join(out, "report.html")), chromedp.WaitVisible(chromedp.CSS("#win-rates svg")))
	require.Equal(t, 3, browser.Eval[int](p, `document.querySelectorAll("svg").length`))
	require.Equal(t, 5, browser.Eval[int](p, `document.querySelectorAll("#win-rates rect.bar").length`), "one bar per opponent")
	require.Equal(t, 6, browser.Eval[int](p, `document.querySelectorAll("#cost-quality circle").length`), "one point per contestant")
	require.Equal(t, 12, browser.Eval[int](p, `document.querySelectorAll("#latency rect").length`), "p50 and p95 per contestant")
	// Drawn, not just present: the bars have a laid-out size.
	require.Positive(t, browser.Eval[float64](p, `document.querySelector("#win-rates rect.bar").getBBox().width`))
	require.Zero(t, browser.Eval[int](p, `performance.getEntriesByType("resource").length`), "no resource is fetched")
	require.Contains(t, browser.Eval[string](p, `document.querySelector("#summary").textContent`), "chorus")
	shot := p.Screenshot("eval-report")
	t.Logf("report screenshot: %s", shot)
	require.Empty(t, p.ConsoleErrors())
}
