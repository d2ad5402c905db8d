package hostile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/bench"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// Acceptance of issue 10, finding 1: while every hostile stream runs for
// this long, the process stays under maxRSS.
const (
	floodTime = 30 * time.Second
	maxRSS    = 100 << 20
)

// route is one streamed client route and the upstream models it is tried with.
type route struct {
	path   string
	body   string // %s is the model
	models []string
	// done is the protocol's clean ending, which a cut stream must not have.
	done string
}

var routes = []route{
	{"/v1/chat/completions", `{"model":%q,"stream":true,"messages":[{"role":"user","content":"hi"}]}`,
		[]string{"sse-line", "sse-event", "sse-endless"}, "[DONE]"},
	{"/v1/responses", `{"model":%q,"stream":true,"input":"hi"}`,
		[]string{"sse-line", "sse-event", "sse-endless"}, "response.completed"},
	{"/api/chat", `{"model":%q,"stream":true,"messages":[{"role":"user","content":"hi"}]}`,
		[]string{"nd-line", "nd-endless"}, `"done":true`},
}

func TestHostileUpstreamsKeepTheProcessSmall(t *testing.T) {
	if os.Getenv("CHORUS_LOAD_TESTS") == "" {
		t.Skip("wall-clock load test: set CHORUS_LOAD_TESTS=1 (make test-e2e)")
	}
	up := newHostileUpstream()
	defer up.Close()
	ctx := t.Context()
	root, err := chorusproc.RepoRoot()
	require.NoError(t, err)
	dir := t.TempDir()
	bin, err := chorusproc.Build(ctx, root, dir)
	require.NoError(t, err)
	port, err := chorusproc.FreePort(ctx)
	require.NoError(t, err)
	cfg := filepath.Join(dir, "hostile.toml")
	require.NoError(t, os.WriteFile(cfg, []byte(hostileConfig(up.URL, port)), 0o600))
	srv, err := chorusproc.StartConfig(ctx, bin, cfg, port)
	require.NoError(t, err)
	defer func() { require.NoError(t, srv.Stop(), srv.Output()) }()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()
	floodCtx, cancel := context.WithTimeout(ctx, floodTime)
	defer cancel()
	type outcome struct {
		name           string
		streams, clean int // finished streams, and those that ended cleanly
		err            error
	}
	var wg sync.WaitGroup
	outcomes := make(chan outcome, 16)
	for _, rt := range routes {
		for _, model := range rt.models {
			wg.Go(func() {
				o := outcome{name: rt.path + " " + model}
				for floodCtx.Err() == nil {
					body, err := post(floodCtx, client, srv.URL+rt.path, fmt.Sprintf(rt.body, model))
					if floodCtx.Err() != nil {
						break
					}
					if err != nil {
						o.err = err
						break
					}
					o.streams++
					// Cut before the first byte: a JSON error (502); after
					// it: the stream's own error event, never its clean end.
					if !strings.Contains(body, `"error"`) || strings.Contains(body, rt.done) {
						o.clean++
					}
				}
				outcomes <- o
			})
		}
	}
	wg.Wait()
	close(outcomes)
	peak, err := bench.PeakRSS(srv.PID())
	require.NoError(t, err)
	t.Logf("peak RSS of chorus over %s of hostile streams: %.1f MiB", floodTime, float64(peak)/(1<<20))
	// An endless valid stream is relayed delta by delta until the answer
	// limit: it may still be running when the flood time is up (the unit
	// tests pin its error ending); every stream that did end was cut.
	for o := range outcomes {
		t.Logf("%s: %d streams ended, %d of them without an error ending", o.name, o.streams, o.clean)
		require.NoError(t, o.err, o.name)
		require.Zero(t, o.clean, "%s: a hostile stream ended without the protocol's error ending", o.name)
	}
	require.Less(t, peak, int64(maxRSS), "peak RSS %d bytes", peak)
}

// post sends one streamed request and reads the whole answer.
func post(ctx context.Context, c *http.Client, url, body string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = io.Copy(&b, io.LimitReader(resp.Body, 64<<20))
	if resp.StatusCode != http.StatusOK {
		return b.String(), nil // an error before the first byte is an error ending too
	}
	return b.String(), err
}

// hostileConfig has one model per flood, on the hostile upstream.
func hostileConfig(upstream string, port int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[server]\nhost = \"127.0.0.1\"\nport = %d\n\n", port)
	for _, name := range []string{"sse-line", "sse-event", "sse-endless"} {
		fmt.Fprintf(&b, "[[model]]\nname = %q\napi_base = %q\napi_key = \"k\"\n\n", name, upstream+"/v1")
	}
	for _, name := range []string{"nd-line", "nd-endless"} {
		fmt.Fprintf(&b, "[[model]]\nname = %q\nprovider = \"ollama\"\napi_base = %q\n\n", name, upstream)
	}
	b.WriteString("[workflow-integration]\njson = '''{\"analyzer\":{\"ref\":\"sse-endless\"},\"workers\":[\"sse-endless\"]," +
		"\"synthesizer\":{\"ref\":\"sse-endless\"}}'''\n")
	return b.String()
}
