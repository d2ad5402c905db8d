//go:build e2ejaeger

package jaeger

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// Environment set by scripts/e2e-jaeger.sh.
const (
	envOTLP  = "CHORUS_E2E_OTLP_ENDPOINT" // Jaeger's OTLP/HTTP receiver, e.g. http://127.0.0.1:4318
	envQuery = "CHORUS_E2E_JAEGER_QUERY"  // Jaeger's HTTP query API, e.g. http://127.0.0.1:16686
)

// workflowModels are the distinct echo models of the test workflow, one per
// role, so each upstream call yields exactly one "chat <model>" span.
var workflowModels = []string{"e2e-analyzer", "e2e-worker-a", "e2e-worker-b", "e2e-judge", "e2e-synth"}

// stageSpans are the stage spans of a synthesize-mode workflow.
var stageSpans = []string{"chorus.stage.analyzer", "chorus.stage.workers", "chorus.stage.selector", "chorus.stage.synthesizer"}

// clientTraceParent is the W3C trace context the test sends: the workflow's
// spans must join this trace.
const (
	clientTraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	clientTraceParent = "00-" + clientTraceID + "-00f067aa0ba902b7-01"
)

func TestWorkflowTraceReachesJaeger(t *testing.T) {
	otlp, query := os.Getenv(envOTLP), os.Getenv(envQuery)
	if otlp == "" || query == "" {
		t.Fatalf("%s and %s must be set: run scripts/e2e-jaeger.sh (make e2e-jaeger)", envOTLP, envQuery)
	}
	start := time.Now().Add(-time.Minute)
	base, admin := startChorus(t, otlp)

	sendWorkflowRequest(t, base)

	tr := waitForTrace(t, query, start, clientTraceID, func(tr jaegerTrace) bool {
		return len(tr.chatSpans()) >= len(workflowModels) && tr.byName("invoke_workflow chorus") != nil
	})

	root := tr.byName("invoke_workflow chorus")
	t.Run("the trace holds the workflow span under the client's trace id", func(t *testing.T) {
		require.NotNil(t, root)
		require.Equal(t, clientTraceID, root.TraceID)
		require.Equal(t, "invoke_workflow", root.attr("gen_ai.operation.name"))
		require.Equal(t, "chorus", tr.service)
	})
	t.Run("the four stage spans are children of the workflow span", func(t *testing.T) {
		for _, name := range stageSpans {
			s := tr.byName(name)
			require.NotNil(t, s, "stage span %s", name)
			require.Equal(t, root.SpanID, s.ParentSpanID, "parent of %s", name)
		}
	})
	t.Run("each upstream call has one chat span with gen_ai attributes under a stage", func(t *testing.T) {
		var names []string
		stageIDs := map[string]bool{}
		for _, name := range stageSpans {
			stageIDs[tr.byName(name).SpanID] = true
		}
		for _, s := range tr.chatSpans() {
			names = append(names, s.Name)
			model := strings.TrimPrefix(s.Name, "chat ")
			require.Equal(t, "chat", s.attr("gen_ai.operation.name"), s.Name)
			require.Equal(t, model, s.attr("gen_ai.request.model"), s.Name)
			require.True(t, stageIDs[s.ParentSpanID], "%s is a child of a stage span", s.Name)
		}
		want := make([]string, 0, len(workflowModels))
		for _, m := range workflowModels {
			want = append(want, "chat "+m)
		}
		slices.Sort(names)
		slices.Sort(want)
		require.Equal(t, want, names)
	})
	t.Run("the same upstream calls are counted on /metrics", func(t *testing.T) {
		text := scrape(t, admin)
		for _, m := range workflowModels {
			require.Contains(t, text, fmt.Sprintf(`chorus_upstream_requests_total{model=%q,outcome="ok"} 1`, m))
		}
		require.Contains(t, text, `chorus_http_requests_total{method="POST",route="/v1/chat/completions",status="200"} 1`)
	})
}

// scrape returns the Prometheus exposition of the running server's admin
// listener.
func scrape(t *testing.T, admin string) string {
	t.Helper()
	resp, err := http.Get(admin + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// startChorus builds and starts the real binary on a free loopback port
// (and its admin listener on another) with OTLP export to Jaeger, waits for
// /readyz and returns both base URLs.
func startChorus(t *testing.T, otlp string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	root, err := chorusproc.RepoRoot()
	require.NoError(t, err)
	bin, err := chorusproc.Build(t.Context(), root, dir)
	require.NoError(t, err)

	port, err := chorusproc.FreePort(t.Context())
	require.NoError(t, err)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cfg := filepath.Join(dir, "config.toml")
	require.NoError(t, os.WriteFile(cfg, []byte(configTOML(addr)), 0o600))

	adminPort, err := chorusproc.FreePort(t.Context())
	require.NoError(t, err)
	admin := "127.0.0.1:" + strconv.Itoa(adminPort)

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config", cfg, "--admin-addr", admin)
	cmd.Env = append(cleanEnv(),
		"OTEL_EXPORTER_OTLP_ENDPOINT="+otlp,
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_BSP_SCHEDULE_DELAY=100",
	)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 15 * time.Second
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("chorus output:\n%s", logs.String())
		}
	})

	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, "http://" + admin
			}
		}
		require.True(t, time.Now().Before(deadline), "chorus never became ready: %v", err)
		time.Sleep(100 * time.Millisecond)
	}
}

// cleanEnv drops OTEL_* and CHORUS_* variables of the caller so only the
// test's settings apply.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OTEL_") && !strings.HasPrefix(kv, "CHORUS_") {
			env = append(env, kv)
		}
	}
	return env
}

// configTOML is an offline workflow over echo models. A worker with
// auto_temperature makes the engine call the analyzer (it skips the call
// when no worker needs a suggestion).
func configTOML(addr string) string {
	host, port, _ := strings.Cut(addr, ":")
	var b strings.Builder
	fmt.Fprintf(&b, "[server]\nhost = %q\nport = %s\n\n", host, port)
	for _, m := range workflowModels {
		fmt.Fprintf(&b, "[[model]]\nname = %q\nprovider = \"echo\"\n\n", m)
	}
	b.WriteString(`[workflow-integration]
nested_worker_depth = 1
json = '''
{
  "analyzer": { "ref": "e2e-analyzer" },
  "workers": [
    { "name": "e2e-worker-a", "temperature": 0.4 },
    { "name": "e2e-worker-b", "auto_temperature": true }
  ],
  "selector": { "ref": "e2e-judge" },
  "synthesizer": { "ref": "e2e-synth" }
}
'''

[workflow]
name = "chorus"
mode = "synthesize"
`)
	return b.String()
}

// sendWorkflowRequest runs one workflow through the OpenAI route, carrying
// the client's W3C trace context.
func sendWorkflowRequest(t *testing.T, base string) {
	t.Helper()
	body := `{"model":"chorus","messages":[{"role":"user","content":"Name three primary colours."}]}`
	req, err := http.NewRequest(http.MethodPost, base+"/v1/chat/completions", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", clientTraceParent)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}
