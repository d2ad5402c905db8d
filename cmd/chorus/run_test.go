package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const configsDir = "../../configs"

// exampleEnv provides the variables configs/*.toml reference.
//
// The admin listener gets a free port (CHORUS_ADMIN_ADDR) so parallel
// servers never meet on the default port after theirs; pass
// "CHORUS_ADMIN_ADDR": "" to get the default.
func exampleEnv(extra map[string]string) func(string) string {
	env := map[string]string{"IFLOW_API_KEY": "k1", "OPENAI_API_KEY": "k2", "TBOX_API_KEY": "k3", "CHORUS_ADMIN_ADDR": "127.0.0.1:0"}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

// runCLI runs the command line and returns the exit code and both outputs.
func runCLI(t *testing.T, ctx context.Context, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, getenv, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

const undefinedModelTOML = `
[[model]]
name = "a"
provider = "echo"

[workflow-integration]
json = '''{"analyzer":{"ref":"a"},"workers":["a",{"analyzer":{"ref":"a"},"workers":["b"],"selector":{"ref":"c"}}],"synthesizer":{"ref":"a"}}'''
`

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestRun_Validate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("the example config is valid", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runCLI(t, ctx, exampleEnv(nil), "validate", "--config", filepath.Join(configsDir, "config-example.toml"))
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "configuration OK: ../../configs/config-example.toml (6 models, 4 worker calls per request)")
		require.Contains(t, out, "upstream calls per request: 7 (analyzers, workers, selectors and synthesizers of 1 plan; nesting depth 1, mode synthesize)")
	})
	t.Run("nested plans count every stage call and the depth", func(t *testing.T) {
		t.Parallel()
		example, err := os.ReadFile(filepath.Join(configsDir, "config-example.toml"))
		require.NoError(t, err)
		deep := strings.Replace(string(example), "nested_worker_depth = 1", "nested_worker_depth = 2", 1)
		code, out, errOut := runCLI(t, ctx, exampleEnv(nil), "validate", "--config", writeTemp(t, "deep.toml", deep))
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "(6 models, 8 worker calls per request)")
		// 4 sub-plans of 2 workers + selector + synthesizer; an analyzer
		// only in the 2 whose worker takes the suggested temperature
		// (kimi-k2-0905, gpt-4o-mini); the root's selector and synthesizer
		// (its analyzer has no model worker to serve).
		require.Contains(t, out, "upstream calls per request: 20 (analyzers, workers, selectors and synthesizers of 5 plans; nesting depth 2, mode synthesize)")
	})
	t.Run("flags may come before the command and -c is accepted", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runCLI(t, ctx, exampleEnv(nil), "-c", filepath.Join(configsDir, "config-json-format-example.toml"), "validate")
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "configuration OK")
	})
	t.Run("the demo config is valid", func(t *testing.T) {
		t.Parallel()
		code, out, _ := runCLI(t, ctx, exampleEnv(nil), "validate", "--demo")
		require.Equal(t, 0, code)
		require.Contains(t, out, "configuration OK: embedded demo config")
	})
	t.Run("a legacy file is accepted, announced and not written", func(t *testing.T) {
		t.Parallel()
		src, err := os.ReadFile(filepath.Join(configsDir, "test-old-config.toml"))
		require.NoError(t, err)
		path := writeTemp(t, "old.toml", string(src))
		code, out, errOut := runCLI(t, ctx, exampleEnv(nil), "validate", "--config", path)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "will be migrated to the workflow JSON form when served")
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, src, after)
		_, err = os.Stat(path + ".bak")
		require.ErrorIs(t, err, os.ErrNotExist)
	})
}

// Where validate looks for the config when --config is not given, and how
// it fails when there is none.
func TestRun_ValidateFindsTheConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("no config anywhere exits 2 with how to start", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		code, _, errOut := runCLI(t, ctx, exampleEnv(map[string]string{"HOME": home}), "validate")
		require.Equal(t, 2, code)
		require.Contains(t, errOut, filepath.Join(home, ".config", "chorus", "config.toml"))
		require.Contains(t, errOut, "cp configs/config-example.toml")
	})
	t.Run("a missing explicit path exits 2 naming it", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, ctx, exampleEnv(nil), "validate", "--config", "/no/such/chorus.toml")
		require.Equal(t, 2, code)
		require.Contains(t, errOut, "/no/such/chorus.toml")
	})
	t.Run("CHORUS_CONFIG is used when no flag is given", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(configsDir, "config-example.toml")
		code, out, _ := runCLI(t, ctx, exampleEnv(map[string]string{"CHORUS_CONFIG": path, "HOME": t.TempDir()}), "validate")
		require.Equal(t, 0, code)
		require.Contains(t, out, path)
	})
}

// Problems are reported with their exit code; warnings become errors with
// --strict.
func TestRun_ValidateReportsProblems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("unset key variables are warnings, and errors with --strict", func(t *testing.T) {
		t.Parallel()
		noEnv := func(string) string { return "" }
		example := filepath.Join(configsDir, "config-example.toml")
		code, out, errOut := runCLI(t, ctx, noEnv, "validate", "--config", example)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "configuration OK")
		require.Contains(t, errOut, "warning: model[0] (\"qwen3-max\") api_key refers to environment variable IFLOW_API_KEY, which is not set here")

		code, _, errOut = runCLI(t, ctx, noEnv, "validate", "--strict", "--config", example)
		require.Equal(t, 1, code)
		require.Contains(t, errOut, "api_key refers to environment variable IFLOW_API_KEY, which is not set")
		require.NotContains(t, errOut, "warning:")
	})
	t.Run("undefined models exit 1 with the exact message", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, ctx, exampleEnv(nil), "validate", "--config", writeTemp(t, "bad.toml", undefinedModelTOML))
		require.Equal(t, 1, code)
		require.Contains(t, strings.Split(errOut, "\n"), "  Workflow configuration references undefined model(s): b, c")
	})
	t.Run("every problem is listed on its own line", func(t *testing.T) {
		t.Parallel()
		bad := undefinedModelTOML + "\n[server]\nport = 0\nkeepalive_secs = 30\n"
		code, _, errOut := runCLI(t, ctx, exampleEnv(nil), "validate", "--config", writeTemp(t, "bad.toml", bad))
		require.Equal(t, 1, code)
		require.Contains(t, errOut, "(3 problems)")
		require.Contains(t, errOut, "server.port must be between 1 and 65535")
		require.Contains(t, errOut, "server.keepalive_secs must be between 1 and 9")
	})
}

func TestRun_Migrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("--dry-run prints the new TOML with the workflow JSON and writes nothing", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(configsDir, "test-old-config.toml")
		before, err := os.ReadFile(path)
		require.NoError(t, err)
		code, out, errOut := runCLI(t, ctx, exampleEnv(nil), "migrate", "--dry-run", "--config", path)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "[workflow-integration]")
		require.Contains(t, out, "json = '''")
		require.Contains(t, out, `"analyzer": {`)
		require.Contains(t, out, `"name": "qwen3-max"`)
		require.NotContains(t, out, "analyzer_model")
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, before, after)
		_, err = os.Stat(path + ".bak")
		require.ErrorIs(t, err, os.ErrNotExist)
	})
	t.Run("migrate rewrites the file, keeps a backup, and then has nothing to do", func(t *testing.T) {
		t.Parallel()
		src, err := os.ReadFile(filepath.Join(configsDir, "test-old-config.toml"))
		require.NoError(t, err)
		path := writeTemp(t, "config.toml", string(src))
		code, out, errOut := runCLI(t, ctx, exampleEnv(nil), "migrate", "-c", path)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "migrated "+path)
		bak, err := os.ReadFile(path + ".bak")
		require.NoError(t, err)
		require.Equal(t, src, bak)

		code, out, _ = runCLI(t, ctx, exampleEnv(nil), "migrate", "-c", path)
		require.Equal(t, 0, code)
		require.Contains(t, out, "nothing to migrate")
		code, out, _ = runCLI(t, ctx, exampleEnv(nil), "validate", "-c", path)
		require.Equal(t, 0, code)
		require.NotContains(t, out, "legacy")
	})
}

func TestRun_UsageAndVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"version prints the version", []string{"version"}, 0, "chorus " + version, ""},
		{"an unknown command exits 2", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"an unknown flag exits 2", []string{"validate", "--nope"}, 2, "", "flag provided but not defined: -nope"},
		{"an extra argument exits 2", []string{"validate", "extra"}, 2, "", `unexpected argument "extra"`},
		{"--dry-run outside migrate exits 2", []string{"validate", "--dry-run"}, 2, "", "--dry-run only applies"},
		{"-h prints the overview on stdout", []string{"-h"}, 0, "chorus migrate [--dry-run]", ""},
		{"--version prints the version", []string{"--version"}, 0, "chorus " + version, ""},
		{"help with an unknown command exits 2", []string{"help", "nope"}, 2, "", `unknown command "nope"`},
		{"migrate refuses --demo", []string{"migrate", "--demo"}, 2, "", "--demo has nothing to migrate"},
		{"--demo with --config exits 2", []string{"validate", "--demo", "--config", "x.toml"}, 2, "", "mutually exclusive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, ctx, exampleEnv(nil), tt.args...)
			require.Equal(t, tt.wantCode, code, errOut)
			require.Contains(t, out, tt.wantOut)
			require.Contains(t, errOut, tt.wantErr)
		})
	}
}

func TestRun_Help(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		args    []string
		want    []string // on stdout
		notWant []string // flags of other commands
	}{
		{[]string{"help"}, []string{"chorus validate [--strict]", "chorus help [command]", "Global flags", "-config", "-version"}, []string{"-strict", "-prompts"}},
		{[]string{"--help"}, []string{"chorus eval --prompts"}, []string{"-dry-run"}},
		{[]string{"help", "validate"}, []string{"Usage: chorus validate", "-strict", "-config"}, []string{"-dry-run", "-prompts"}},
		{[]string{"validate", "--help"}, []string{"Usage: chorus validate", "-strict"}, []string{"-dry-run"}},
		{[]string{"migrate", "-h"}, []string{"Usage: chorus migrate", "-dry-run", ".bak"}, []string{"-strict", "-judge"}},
		{[]string{"eval", "--help"}, []string{"Usage: chorus eval", "-judge", "-dry-run", "-concurrency"}, []string{"-strict"}},
		{[]string{"serve", "--help"}, []string{"Usage: chorus [serve]", "SIGHUP reloads", "-demo"}, []string{"-strict", "-dry-run", "-judge"}},
		{[]string{"help", "version"}, []string{"Usage: chorus version"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, ctx, exampleEnv(nil), tt.args...)
			require.Equal(t, 0, code, errOut)
			require.Empty(t, errOut, "help goes to stdout")
			for _, w := range tt.want {
				require.Contains(t, out, w)
			}
			for _, w := range tt.notWant {
				// PrintDefaults lists a flag as "  -name" then its type or a newline.
				require.NotContains(t, out, "\n  "+w+" ", "only the flags of this command")
				require.NotContains(t, out, "\n  "+w+"\n", "only the flags of this command")
			}
		})
	}
}

func TestRun_Serve(t *testing.T) {
	t.Parallel()
	t.Run("serve without any config exits 2", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, context.Background(), exampleEnv(map[string]string{"HOME": t.TempDir()}))
		require.Equal(t, 2, code)
		require.Contains(t, errOut, "no configuration file found")
	})
	t.Run("serve with an invalid config exits 1", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, context.Background(), exampleEnv(nil), "serve", "-c", writeTemp(t, "bad.toml", undefinedModelTOML))
		require.Equal(t, 1, code)
		require.Contains(t, errOut, "Workflow configuration references undefined model(s): b, c")
	})
	t.Run("serve with an unknown log level exits 2", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, context.Background(), exampleEnv(nil), "--demo", "--log-level", "loud")
		require.Equal(t, 2, code)
		require.Contains(t, errOut, `log level "loud" is unknown`)
	})
	t.Run("serve logs its startup lines without keys and stops when the context ends", func(t *testing.T) {
		t.Parallel()
		port := freePort(t)
		cfg := fmt.Sprintf(`
[server]
port = %d
api_keys = ["inbound-secret-123"]

[[model]]
name = "m1"
provider = "echo"
api_key = "${SERVE_TEST_KEY}"

[[model]]
name = "m2"
provider = "echo"

[workflow-integration]
json = '''{"analyzer":{"ref":"m1"},"workers":["m1","m2"],"selector":{"ref":"m2"},"synthesizer":{"ref":"m1"}}'''
`, port)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		env := exampleEnv(map[string]string{"SERVE_TEST_KEY": "upstream-secret-456"})
		code, out, errOut := runCLI(t, ctx, env, "-c", writeTemp(t, "serve.toml", cfg), "--log-level", "info")
		require.Equal(t, 0, code, errOut+out)
		require.Contains(t, out, `"analyzer":"m1"`)
		require.Contains(t, out, `"workers":["m1","m2"]`)
		require.Contains(t, out, `"synthesizer":"m1"`)
		require.Contains(t, out, fmt.Sprintf(`"addr":"127.0.0.1:%d"`, port))
		require.NotContains(t, out+errOut, "upstream-secret-456")
		require.NotContains(t, out+errOut, "inbound-secret-123")
	})
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}
