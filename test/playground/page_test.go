package playground

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/browser"
)

// pageTimeout bounds one browser session: starting Chromium, one streamed
// workflow and the screenshots, on a loaded two-core machine.
const pageTimeout = 3 * time.Minute

// viewports are the sizes every playground run is looked at in.
var viewports = []struct {
	name          string
	width, height int
}{{"desktop", 1280, 900}, {"phone", 390, 844}}

// row is one timeline row as the page draws it.
type row struct {
	Kind   string  `json:"kind"`
	Status string  `json:"status"`
	Error  string  `json:"error"`
	Text   string  `json:"text"`
	Title  string  `json:"title"`
	Bars   int     `json:"bars"`
	BarPx  float64 `json:"barPx"`  // the bar's drawn width
	Inside bool    `json:"inside"` // the bar lies within its track
}

// call is one stage of the workflow trace the page received.
type call struct {
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
	Error    string `json:"error"`
}

// trace is the part of the workflow trace the checks use.
type trace struct {
	Analyzer    *call   `json:"analyzer"`
	Workers     []*call `json:"workers"`
	Selector    *call   `json:"selector"`
	Synthesizer *call   `json:"synthesizer"`
}

// upstreamCalls counts the calls the trace says were made: every stage
// that was not skipped, each attempt one call.
func (tr trace) upstreamCalls() int {
	n := 0
	for _, c := range append([]*call{tr.Analyzer, tr.Selector, tr.Synthesizer}, tr.Workers...) {
		if c != nil && c.Status != "skipped" {
			n += max(c.Attempts, 1)
		}
	}
	return n
}

// result is what the page shows after one streamed workflow answer.
type result struct {
	Models []string `json:"models"`
	Model  string   `json:"model"`
	// Seen lists, in order, the texts the progress box and the answer
	// took while the answer streamed ("progress" / "answer" and length).
	Seen []struct {
		ID  string `json:"id"`
		Len int    `json:"len"`
	} `json:"seen"`
	Progress  string   `json:"progress"`
	Answer    string   `json:"answer"`
	Rows      []row    `json:"rows"`
	Trace     trace    `json:"trace"`
	Selected  []string `json:"selected"`
	Chosen    string   `json:"chosen"` // the trace's selected_label
	Reason    string   `json:"reason"`
	Final     string   `json:"final"`
	Failed    []string `json:"failed"` // the failed candidates' texts
	Overflows bool     `json:"overflows"`
}

// watchStream records every text the progress box and the answer take
// while the answer streams; the page sets textContent once per delta.
const watchStream = `window.__seen = [];
new MutationObserver((records) => {
  for (const r of records) {
    const text = [...r.addedNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.data);
    if (text && (r.target.id === 'progress' || r.target.id === 'answer')) window.__seen.push({ id: r.target.id, len: text.data.length });
  }
}).observe(document.querySelector('#chat-box'), { childList: true, subtree: true });`

// readResult collects the page's state once the timeline is drawn.
const readResult = `(() => {
  const $$ = (s) => [...document.querySelectorAll(s)];
  const entry = JSON.parse(sessionStorage.getItem('chorus.history'))[0];
  return {
    models: $$('#model option').map((o) => o.value),
    model: document.querySelector('#model').value,
    seen: window.__seen,
    progress: document.querySelector('#progress').textContent,
    answer: document.querySelector('#answer').textContent,
    rows: $$('#timeline .row').map((r) => {
      const bar = r.querySelector('.bar'), track = r.querySelector('.track').getBoundingClientRect();
      const b = bar ? bar.getBoundingClientRect() : null;
      return { kind: r.dataset.kind, status: r.dataset.status, error: r.dataset.error || '', text: r.innerText,
        title: r.title, bars: r.querySelectorAll('.bar').length, barPx: b ? b.width : 0,
        inside: b ? b.left >= track.left - 0.5 && b.right <= track.right + 0.5 : false };
    }),
    trace: entry.workflow,
    chosen: entry.workflow.selector?.selected_label || '',
    selected: $$('#candidates .candidate.selected').map((c) => c.dataset.label),
    reason: document.querySelector('#selector-reason').textContent,
    final: document.querySelector('#candidates .final pre').textContent,
    failed: $$('#candidates .candidate.failed').map((c) => c.innerText),
    overflows: document.documentElement.scrollWidth > innerWidth,
  };
})()`

// ask opens the playground at base in a width×height viewport, streams
// prompt through the workflow and returns what the page shows.
func ask(t *testing.T, base string, width, height int, prompt string) (*browser.Page, result) {
	t.Helper()
	p := browser.Open(t, width, height, pageTimeout)
	p.Do(chromedp.Navigate(base+"/ui"), chromedp.WaitVisible(chromedp.CSS("#prompt")),
		chromedp.WaitReady(chromedp.CSS("#model option")))
	require.Equal(t, base+"/ui/", browser.Eval[string](p, "location.href"), "/ui redirects to the page's directory")
	_ = browser.Eval[any](p, watchStream)
	p.Do(chromedp.SendKeys(chromedp.CSS("#prompt"), prompt),
		chromedp.Click(chromedp.CSS("#send")),
		chromedp.WaitVisible(chromedp.CSS("#timeline .row")))
	return p, browser.Eval[result](p, readResult)
}

// requireStreamed checks that progress lines came before the answer and
// that the answer grew in pieces rather than arriving whole.
func requireStreamed(t *testing.T, r result) {
	t.Helper()
	require.NotEmpty(t, r.Seen)
	require.Equal(t, "progress", r.Seen[0].ID, "progress lines show before the answer: %+v", r.Seen)
	partial := 0
	for _, s := range r.Seen {
		if s.ID == "answer" && s.Len < len(r.Answer) {
			partial++
		}
	}
	require.Positive(t, partial, "the answer streamed: a part of it showed before the whole (%+v)", r.Seen)
}

// requireBars checks one readable bar, inside its track, per upstream call
// of the trace, plus the workflow's own bar.
func requireBars(t *testing.T, r result) {
	t.Helper()
	calls := 0
	for _, row := range r.Rows {
		if row.Bars == 0 {
			continue
		}
		require.Equal(t, 1, row.Bars, "one bar per row: %+v", row)
		require.GreaterOrEqual(t, row.BarPx, 2.0, "a bar a reader can see: %+v", row)
		require.True(t, row.Inside, "the bar stays in its track: %+v", row)
		if row.Kind != "plan" {
			calls++
		}
	}
	require.Equal(t, r.Trace.upstreamCalls(), calls, "one bar per upstream call of the trace")
}

// finish saves the screenshot and checks the console stayed clean.
func finish(t *testing.T, p *browser.Page, name string, r result) {
	t.Helper()
	p.Screenshot(name)
	require.False(t, r.Overflows, "nothing wider than the viewport")
	require.Empty(t, p.ConsoleErrors())
}
