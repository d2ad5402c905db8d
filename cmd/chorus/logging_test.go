package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// loggingTOML is a minimal echo config; %d is a free port, so parallel
// servers never compete for one.
const loggingTOML = `
[server]
port = %d

[[model]]
name = "m"
provider = "echo"

[workflow-integration]
json = '''{"analyzer":{"ref":"m"},"workers":["m"],"synthesizer":{"ref":"m"}}'''
`

func TestRun_ServeLogging(t *testing.T) {
	t.Parallel()
	// canceled makes serve log its startup lines and stop at once.
	canceled := func() context.Context {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx
	}
	for _, tt := range serveLoggingCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			cfg := fmt.Sprintf(loggingTOML, freePort(t))
			args := append([]string{"serve", "-c", writeTemp(t, "log.toml", cfg)}, tt.args...)
			code, out, errOut := runCLI(t, canceled(), exampleEnv(env), args...)
			require.Equal(t, tt.wantCode, code, errOut+out)
			tt.check(t, out, errOut)
		})
	}
}

// serveLoggingCase is one serve start-up with logging flags or RUST_LOG.
type serveLoggingCase struct {
	name     string
	env      map[string]string
	args     []string
	wantCode int
	check    func(t *testing.T, out, errOut string)
}

func serveLoggingCases() []serveLoggingCase {
	return []serveLoggingCase{
		{
			name: "--log-format console writes human-readable lines, not JSON",
			args: []string{"--log-format", "console"},
			check: func(t *testing.T, out, _ string) {
				first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
				require.Contains(t, first, "loading config")
				require.False(t, json.Valid([]byte(first)), "console output is not JSON: %s", first)
			},
		},
		{
			name: "JSON lines are the default",
			args: []string{},
			check: func(t *testing.T, out, _ string) {
				for line := range strings.Lines(strings.TrimSpace(out)) {
					require.True(t, json.Valid([]byte(line)), "not JSON: %s", line)
				}
				require.Contains(t, out, `"message":"loading config"`)
				// The start-up log says where traces go (here: nowhere).
				require.Regexp(t, `(?m)^\{"level":"info","traces":"off \(set OTEL_EXPORTER_OTLP_ENDPOINT to export\)".*"message":"tracing"\}$`, out)
			},
		},
		{
			name:     "an unknown --log-format exits 2 naming it",
			args:     []string{"--log-format", "xml"},
			wantCode: 2,
			check: func(t *testing.T, _, errOut string) {
				require.Contains(t, errOut, `log format "xml" is unknown`)
			},
		},
		{
			name: "a RUST_LOG filter with chorus=warn hides the info startup lines",
			env:  map[string]string{"RUST_LOG": "chorus=warn,tower_http=debug"},
			args: []string{},
			check: func(t *testing.T, out, _ string) {
				require.NotContains(t, out, "loading config")
			},
		},
		{
			name: "--log-level wins over RUST_LOG",
			env:  map[string]string{"RUST_LOG": "chorus=warn"},
			args: []string{"--log-level", "info"},
			check: func(t *testing.T, out, _ string) {
				require.Contains(t, out, "loading config")
			},
		},
	}
}
