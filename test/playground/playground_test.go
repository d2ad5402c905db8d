package playground

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/browser"
	"github.com/chorus-ai/chorus/test/fakeupstream"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// startTimeout bounds starting one chorus process.
const startTimeout = time.Minute

// serve starts the binary with start and stops it when the test ends.
func serve(t *testing.T, start func(ctx context.Context) (*chorusproc.Server, error)) *chorusproc.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), startTimeout)
	defer cancel()
	s, err := start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("%v\nserver output:\n%s", err, s.Output())
		}
	})
	return s
}

// `chorus --demo` in a browser: the whole ensemble (analyzer, three
// workers, selector, synthesizer) streams an answer and draws one bar per
// upstream call; the candidates mark the one the selector chose.
func TestDemoPlaygroundShowsTheWholeEnsemble(t *testing.T) {
	s := serve(t, func(ctx context.Context) (*chorusproc.Server, error) { return chorusproc.StartDemo(ctx, env.Bin) })
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			p, r := ask(t, s.URL, vp.width, vp.height, "Which sorting algorithm is stable?")
			require.Equal(t, "chorus", r.Model, "the workflow is picked first")
			require.Subset(t, r.Models, []string{"chorus", "echo-alpha", "echo-synth"}, "workflow and passthrough models")
			requireStreamed(t, r)
			for _, line := range []string{"analyzer: ", "workers: 3 running", "worker A done in", "worker B done in",
				"worker C done in", "selector chose Response A", "synthesizer: writing the answer"} {
				require.Contains(t, r.Progress, line)
			}

			kinds := make([]string, len(r.Rows))
			for i, row := range r.Rows {
				kinds[i] = row.Kind + ":" + row.Status
			}
			require.Equal(t, []string{"plan:ok", "analyzer:ok", "worker:ok", "worker:ok", "worker:ok", "selector:ok", "synthesizer:ok"}, kinds)
			requireBars(t, r)
			require.Equal(t, 6, r.Trace.upstreamCalls(), "analyzer, three workers, selector and synthesizer: one call each")

			require.Equal(t, "Response A", r.Chosen)
			require.Equal(t, []string{r.Chosen}, r.Selected, "the candidates mark the selected one")
			require.Contains(t, r.Reason, "chose Response A")
			require.Equal(t, r.Answer, r.Final)

			p.Do(chromedp.Click(chromedp.CSS("#timeline .row.selector")))
			require.Contains(t, browser.Eval[string](p, `document.querySelector("#detail").textContent`), "reason: ")
			finish(t, p, "demo-"+vp.name, r)
		})
	}
}

// A config whose second of three workers always fails (HTTP 500 from its
// upstream): its bar is marked failed and says why, while the selector
// still chooses between the two answers left.
func TestPlaygroundMarksTheFailingWorker(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(fakeupstream.Fault500)})
	t.Cleanup(fake.Close)
	s := serve(t, func(ctx context.Context) (*chorusproc.Server, error) {
		port, err := chorusproc.FreePort(ctx)
		if err != nil {
			return nil, err
		}
		cfg := filepath.Join(t.TempDir(), "failing-worker.toml")
		if err := os.WriteFile(cfg, []byte(failingWorkerConfig(port, fake.OpenAIBase())), 0o600); err != nil {
			return nil, err
		}
		return chorusproc.StartConfig(ctx, env.Bin, cfg, port)
	})
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			p, r := ask(t, s.URL, vp.width, vp.height, "Which sorting algorithm is stable?")
			requireStreamed(t, r)
			require.Contains(t, r.Progress, "worker B failed: upstream 500")
			require.Contains(t, r.Progress, "selector chose Response")

			kinds := make([]string, len(r.Rows))
			for i, row := range r.Rows {
				kinds[i] = row.Kind + ":" + row.Status
			}
			require.Equal(t, []string{"plan:ok", "analyzer:ok", "worker:ok", "worker:failed", "worker:ok", "selector:ok", "synthesizer:ok"}, kinds)
			requireBars(t, r)
			failed := r.Rows[3]
			require.Equal(t, 1, failed.Bars, "the failed call has its bar")
			require.Contains(t, failed.Error, "upstream status 500")
			require.Contains(t, failed.Text, "upstream status 500", "the error shows on the row")
			require.Contains(t, failed.Title, "error: ", "and on hover")
			p.Do(chromedp.Click(chromedp.CSS(`#timeline .row[data-status="failed"]`)))
			require.Contains(t, browser.Eval[string](p, `document.querySelector("#detail").textContent`), "error: "+failed.Error, "and on click")

			require.NotEmpty(t, r.Chosen)
			require.Equal(t, []string{r.Chosen}, r.Selected, "the candidates mark the selected one")
			require.Len(t, r.Failed, 1)
			require.Contains(t, r.Failed[0], "upstream status 500")
			finish(t, p, "failing-worker-"+vp.name, r)
		})
	}
}

// failingWorkerConfig is the demo's ensemble on port with its second worker
// replaced by an OpenAI-compatible upstream at apiBase that always fails.
func failingWorkerConfig(port int, apiBase string) string {
	return fmt.Sprintf(`
[server]
host = "127.0.0.1"
port = %d

[[model]]
name = "echo-analyzer"
provider = "echo"
auto_temperature = true

[[model]]
name = "echo-alpha"
provider = "echo"
temperature = 0.4

[[model]]
name = "broken"
provider = "openai"
api_base = %q
temperature = 0.9

[[model]]
name = "echo-gamma"
provider = "echo"
auto_temperature = true

[[model]]
name = "echo-judge"
provider = "echo"
temperature = 0.0

[[model]]
name = "echo-synth"
provider = "echo"
temperature = 0.3

[workflow-integration]
json = '''
{
  "analyzer": { "ref": "echo-analyzer", "auto_temperature": true },
  "workers": ["echo-alpha", "broken", "echo-gamma"],
  "selector": { "ref": "echo-judge" },
  "synthesizer": { "ref": "echo-synth" }
}
'''
`, port, apiBase)
}
