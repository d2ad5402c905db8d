package deployments

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// buildChorus compiles the real binary from the service module (the parent
// directory), so these checks run against the server the image ships.
func buildChorus(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the chorus binary")
	}
	// make test-deployments passes the binary it built (as the service
	// module's tests get it: test/scripts/chorusproc.TestBinEnv).
	if bin := os.Getenv("CHORUS_TEST_BIN"); bin != "" {
		_, err := os.Stat(bin)
		require.NoError(t, err, "CHORUS_TEST_BIN")
		return bin
	}
	bin := filepath.Join(t.TempDir(), "chorus")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/chorus")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/chorus:\n%s", out)
	return bin
}

// secretEnv is the process environment plus the example Secret's keys, as
// the Deployment would inject them.
func secretEnv(t *testing.T) []string {
	t.Helper()
	env := os.Environ()
	for k, v := range exampleSecret(t).StringData {
		env = append(env, k+"="+v)
	}
	return env
}

func TestKustomizeBase_configRunsOnTheRealServer(t *testing.T) {
	bin := buildChorus(t)
	b := buildBase(t)
	c := chorusContainer(t, b.deployment)
	cfgFile := filepath.Join(t.TempDir(), configKey)
	require.NoError(t, os.WriteFile(cfgFile, []byte(b.configMap.Data[configKey]), 0o600))

	t.Run("chorus validate --strict accepts the ConfigMap with the Secret's keys", func(t *testing.T) {
		cmd := exec.Command(bin, "validate", "--strict", "--config", cfgFile)
		cmd.Env = secretEnv(t)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	})
	t.Run("chorus validate --strict rejects it without them, so the keys really come from env", func(t *testing.T) {
		cmd := exec.Command(bin, "validate", "--strict", "--config", cfgFile)
		for _, kv := range os.Environ() {
			if _, isSecret := exampleSecret(t).StringData[strings.SplitN(kv, "=", 2)[0]]; !isSecret {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		require.Error(t, cmd.Run())
	})
	t.Run("the probe paths answer 200 and metrics are on the admin port only", func(t *testing.T) {
		// Ready once start-up is done, as the kubelet's readiness probe waits
		// for; then both probes answer 200.
		srv := startServer(t, bin, b.configMap.Data[configKey], c.ReadinessProbe.HTTPGet.Path)
		for _, p := range []string{c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path} {
			require.Equal(t, http.StatusOK, getStatus(t, srv.base+p), p)
		}
		path := b.deployment.Spec.Template.Annotations["prometheus.io/path"]
		require.Equal(t, http.StatusOK, getStatus(t, srv.admin+path), "the scrape path answers on the admin listener")
		require.Equal(t, http.StatusNotFound, getStatus(t, srv.base+path), "metrics are not on the public port")
		require.Equal(t, http.StatusNotFound, getStatus(t, srv.admin+"/debug/pprof/"), "pprof is off")
	})
}

// getStatus GETs url and returns the status code.
func getStatus(t *testing.T, url string) int {
	t.Helper()
	status, err := get(t.Context(), url)
	require.NoError(t, err)
	return status
}

// server is a running chorus: its public and admin base URLs.
type server struct{ base, admin string }

// startServer runs chorus on the ConfigMap's config moved to free loopback
// ports (the public one and the admin listener's), and waits until
// readyPath answers 200 (a server that listens may still answer 503 there
// while it starts).
func startServer(t *testing.T, bin, config, readyPath string) server {
	t.Helper()
	addr, admin := freeAddr(t), freeAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	config = replaceOnce(t, config, `(?m)^host = .*$`, fmt.Sprintf("host = %q", host))
	config = replaceOnce(t, config, `(?m)^port = .*$`, "port = "+port)
	config = replaceOnce(t, config, `(?m)^admin_addr = .*$`, fmt.Sprintf("admin_addr = %q", admin))
	cfgFile := filepath.Join(t.TempDir(), configKey)
	require.NoError(t, os.WriteFile(cfgFile, []byte(config), 0o600))

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config", cfgFile)
	cmd.Env = secretEnv(t)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })

	base := "http://" + addr
	waitCtx, stop := context.WithTimeout(t.Context(), 30*time.Second)
	defer stop()
	tick := time.NewTicker(50 * time.Millisecond) // polling a child process
	defer tick.Stop()
	for {
		status, err := get(waitCtx, base+readyPath)
		if status == http.StatusOK {
			return server{base: base, admin: "http://" + admin}
		}
		select {
		case <-waitCtx.Done():
			t.Fatalf("chorus on %s not ready: status %d, %v", addr, status, err)
		case <-tick.C:
		}
	}
}

// get returns the status of a GET of url (0 when there was no answer).
func get(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func replaceOnce(t *testing.T, text, pattern, repl string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	require.Len(t, re.FindAllStringIndex(text, -1), 1, "exactly one %s", pattern)
	return re.ReplaceAllLiteralString(text, repl)
}
