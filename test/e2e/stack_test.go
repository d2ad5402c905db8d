package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	official "github.com/chorus-ai/chorus/test/contract"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// Model names of the e2e configuration; each plays one role so the fake's
// records tell which stage a call belonged to.
const (
	workflowName = "chorus"
	mAnalyst     = "analyst"
	mWorkerOAI   = "w-openai"
	mWorkerOll   = "w-ollama"
	mJudge       = "judge"
	mSynth       = "synth"
	fakeKeyEnv   = "E2E_FAKE_KEY"
	fakeKey      = "sk-e2e-secret"
)

// stackOptions tune a test stack.
type stackOptions struct {
	fake fakeupstream.Config
	// tune edits the loaded settings (sub-second timeouts the TOML cannot express).
	tune func(s *config.Settings)
	// extraTOML is appended to the generated config file.
	extraTOML string
	// nestedDepth sets [workflow-integration] nested_worker_depth when > 0.
	nestedDepth int
	// editTOML, when set, rewrites the generated config file.
	editTOML func(string) string
}

// stack is a running Chorus with its fake upstream.
type stack struct {
	base     string
	admin    string // the admin listener's base URL: /metrics, /debug/pprof
	path     string // the config file; Reload (SIGHUP) reads it again
	fake     *fakeupstream.Server
	app      *bootstrap.App
	settings *config.Settings
	logs     *syncBuffer
	client   *http.Client
	official *official.Recorder // checks every answer client reads against the official documents
	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once
	stopErr  error
}

// configTOML is the e2e config: an analyzer with auto temperature, an
// OpenAI and an Ollama worker, a selector and a synthesizer, plus the same
// models for passthrough.
func configTOML(fake *fakeupstream.Server) string {
	return fmt.Sprintf(`
[server]
host = "127.0.0.1"
port = 11435
shutdown_timeout_secs = 10
keepalive_secs = 1

[[model]]
name = %[3]q
api_base = %[1]q
api_key = "${%[8]s}"
auto_temperature = true

[[model]]
name = %[4]q
api_base = %[1]q
api_key = "${%[8]s}"

[[model]]
name = %[5]q
provider = "ollama"
api_base = %[2]q

[[model]]
name = %[6]q
api_base = %[1]q
api_key = "${%[8]s}"
temperature = 0.2

[[model]]
name = %[7]q
api_base = %[1]q
api_key = "${%[8]s}"

[workflow-integration]
json = '''
{
  "analyzer": {"ref": %[3]q, "auto_temperature": true},
  "workers": [%[4]q, {"name": %[5]q}],
  "selector": {"ref": %[6]q},
  "synthesizer": {"ref": %[7]q}
}
'''

[workflow.timeouts]
analyzer_timeout_secs = 10
worker_timeout_secs = 10
synthesizer_timeout_secs = 10
`, fake.OpenAIBase(), fake.URL(), mAnalyst, mWorkerOAI, mWorkerOll, mJudge, mSynth, fakeKeyEnv)
}

// startStack writes the config to a temp dir, loads it with config.Load and
// serves it with bootstrap.ServeListener on 127.0.0.1:0.
func startStack(t *testing.T, opts stackOptions) *stack {
	t.Helper()
	opts.fake.Record = true
	fake := fakeupstream.New(opts.fake)
	t.Cleanup(fake.Close)

	path := filepath.Join(t.TempDir(), "config.toml")
	content := configTOML(fake)
	if opts.nestedDepth > 0 {
		content = strings.Replace(content, "[workflow-integration]\n",
			fmt.Sprintf("[workflow-integration]\nnested_worker_depth = %d\n", opts.nestedDepth), 1)
	}
	content += opts.extraTOML
	if opts.editTOML != nil {
		content = opts.editTOML(content)
	}
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	getenv := func(k string) string {
		if k == fakeKeyEnv {
			return fakeKey
		}
		return ""
	}
	settings, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: getenv})
	require.NoError(t, err)
	require.Equal(t, path, settings.Path)
	if opts.tune != nil {
		opts.tune(settings)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	// The admin listener on a free port too, so parallel stacks never meet
	// on the configuration's admin_addr.
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &stack{
		admin: "http://" + adminLn.Addr().String(),
		fake:  fake, path: path, settings: settings, logs: &syncBuffer{}, done: make(chan error, 1),
	}
	s.client, s.official = newOfficialClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	started := make(chan struct{})
	go func() {
		s.done <- bootstrap.ServeListener(ctx, ln, bootstrap.Options{
			Settings:       settings,
			Logger:         zerolog.New(s.logs).Level(zerolog.InfoLevel),
			Version:        "e2e",
			TracerProvider: noop.NewTracerProvider(),
			AdminListener:  adminLn,
			Reload: func(context.Context) (*config.Settings, error) {
				return config.Load(config.LoadOptions{ExplicitPath: path, Getenv: getenv})
			},
			OnStart: func(app *bootstrap.App, addr net.Addr) {
				s.app, s.base = app, "http://"+addr.String()
				close(started)
			},
		})
	}()
	select {
	case <-started:
	case err := <-s.done:
		t.Fatalf("server did not start: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("server did not start in time")
	}
	t.Cleanup(func() { _ = s.stop() })
	return s
}

// stop shuts the server down gracefully and returns Serve's error.
func (s *stack) stop() error {
	s.stopOnce.Do(func() {
		s.cancel()
		select {
		case s.stopErr = <-s.done:
		case <-time.After(30 * time.Second):
			s.stopErr = fmt.Errorf("server did not stop")
		}
		s.client.CloseIdleConnections()
	})
	return s.stopErr
}

// scrape returns the admin listener's Prometheus exposition.
func (s *stack) scrape(t *testing.T) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.admin+"/metrics", nil)
	require.NoError(t, err)
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/plain")
	return string(b)
}

// noPanics fails when the server logged a recovered panic or a 500.
func (s *stack) noPanics(t *testing.T) {
	t.Helper()
	for _, line := range strings.Split(s.logs.String(), "\n") {
		require.NotContains(t, line, "recovered panic")
		require.NotContains(t, line, `"status":500`)
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
