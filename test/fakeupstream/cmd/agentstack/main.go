// Command agentstack serves a Chorus whose upstreams are the scripted fake
// upstream, for the Node client suite's tool loops (scripts/test-node-clients.sh):
// the workflow "chorus" has an OpenAI worker that calls the first offered tool
// when the last user message contains fakeupstream.ToolTrigger (and answers
// text quoting a tool result), an Ollama worker that always answers text, and
// every model is also served directly (passthrough). A request asking for
// structured output (response_format, Ollama format) is answered with JSON
// built from its schema, every string being the answering model's name.
//
// It prints "fake <url>": GET <url>/_fake/requests lists the upstream
// requests the fake received, so a test can see that a tool result reached
// the workers.
//
// Usage: agentstack -port N
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// textModel is the worker that never calls a tool.
const textModel = "tool-ollama"

const configTemplate = `
[server]
host = "127.0.0.1"
port = %[3]d
# No admin listener: nothing scrapes this stack, and the default port after
# ours may belong to the Chorus it runs beside.
admin_addr = ""

[[model]]
name = "tool-openai"
api_base = %[1]q
api_key = "fake"

[[model]]
name = "tool-ollama"
provider = "ollama"
api_base = %[2]q

[[model]]
name = "tool-judge"
api_base = %[1]q
api_key = "fake"

[workflow-integration]
json = '''
{
  "analyzer": {"ref": "tool-judge"},
  "workers": ["tool-openai", "tool-ollama"],
  "selector": {"ref": "tool-judge"},
  "synthesizer": {"ref": "tool-judge"}
}
'''

[workflow]
name = "chorus"
`

func main() {
	port := flag.Int("port", 0, "port Chorus listens on (127.0.0.1)")
	flag.Parse()
	if err := run(*port); err != nil {
		fmt.Fprintln(os.Stderr, "agentstack:", err)
		os.Exit(1)
	}
}

func run(port int) error {
	fake := fakeupstream.New(fakeupstream.Config{Record: true, Script: func(r fakeupstream.Request) (fakeupstream.Answer, bool) {
		if r.Model == textModel && r.Kind == fakeupstream.KindToolCall {
			return fakeupstream.TextAnswer(r, "I would rather answer in words."), true
		}
		return fakeupstream.StructuredAnswer(r)
	}})
	defer fake.Close()
	inspect, err := serveRequests(fake)
	if err != nil {
		return err
	}
	defer func() { _ = inspect.Close() }()

	dir, err := os.MkdirTemp("", "agentstack")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "chorus.toml")
	if err := os.WriteFile(path, fmt.Appendf(nil, configTemplate, fake.OpenAIBase(), fake.URL(), port), 0o600); err != nil {
		return err
	}
	settings, err := config.Load(config.LoadOptions{ExplicitPath: path})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("fake http://%s\n", inspect.Addr())
	return bootstrap.ServeListener(ctx, ln, bootstrap.Options{
		Settings: settings, Logger: zerolog.New(os.Stderr).Level(zerolog.WarnLevel), Version: "agentstack",
	})
}

// serveRequests answers GET /_fake/requests with the fake's records.
func serveRequests(fake *fakeupstream.Server) (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_fake/requests", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(fake.Requests())
	})
	mux.HandleFunc("DELETE /_fake/requests", func(w http.ResponseWriter, _ *http.Request) {
		fake.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	go func() { _ = http.Serve(ln, mux) }() //nolint:gosec // a loopback test helper
	return ln, nil
}
