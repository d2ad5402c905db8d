package redis_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	official "github.com/chorus-ai/chorus/test/contract"
	"github.com/chorus-ai/chorus/test/fakeupstream"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

const (
	teamKey = "team-key"
	freeKey = "free-key"
)

// startRedis runs a throwaway redis-server (no persistence) on a free
// loopback port and returns its address and a stop function.
func startRedis(t *testing.T) (string, func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server is missing in CI (.ci/run installs it): %v", err)
		}
		t.Skip("redis-server is not installed here (apt-get install redis-server); CI runs this test")
	}
	port, err := chorusproc.FreePort(t.Context())
	require.NoError(t, err)
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-done
	}
	t.Cleanup(stop)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	rdb := goredis.NewClient(&goredis.Options{Addr: addr})
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for rdb.Ping(ctx).Err() != nil {
		select {
		case <-ctx.Done():
			t.Fatal("redis-server did not answer PING")
		case <-time.After(20 * time.Millisecond): // polling a child process we do not control
		}
	}
	return addr, stop
}

// startChorus runs one chorus process sharing state through redisAddr.
func startChorus(t *testing.T, bin, redisAddr string, fake *fakeupstream.Server) *chorusproc.Server {
	t.Helper()
	return startWith(t, bin, fmt.Sprintf(`api_keys = [%q, { key = %q, requests_per_minute = 3 }]

[[model]]
name = "m"
api_base = %q

[workflow-integration]
json = '''{"analyzer":{"ref":"m"},"workers":["m"],"synthesizer":{"ref":"m"}}'''

[cache]
enabled = true

[state]
redis_url = "redis://%s/0"
`, freeKey, teamKey, fake.OpenAIBase(), redisAddr))
}

// startWith runs one chorus process on a free loopback port with config
// after the [server] section's host and port lines.
func startWith(t *testing.T, bin, config string) *chorusproc.Server {
	t.Helper()
	port, err := chorusproc.FreePort(t.Context())
	require.NoError(t, err)
	cfg := filepath.Join(t.TempDir(), "config.toml")
	toml := fmt.Sprintf("[server]\nhost = \"127.0.0.1\"\nport = %d\n", port) + config
	require.NoError(t, os.WriteFile(cfg, []byte(toml), 0o600))
	srv, err := chorusproc.StartConfig(t.Context(), bin, cfg, port)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Stop() })
	return srv
}

type answer struct {
	status int
	cache  string
	body   string
}

// recorder checks every answer ask reads (hits served from Redis, 429s over
// the shared budget) against the official OpenAI document.
var recorder = official.NewRecorder(nil)

func ask(t *testing.T, srv *chorusproc.Server, key, prompt string) answer {
	t.Helper()
	body := fmt.Sprintf(`{"model":"m","messages":[{"role":"user","content":%q}]}`, prompt)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/v1/chat/completions", strings.NewReader(body))
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: recorder}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, recorder.Problems(), "answers that break the official documents")
	return answer{status: resp.StatusCode, cache: resp.Header.Get("X-Chorus-Cache"), body: string(b)}
}

func TestTwoReplicasShareCacheAndLimitsThroughRedis(t *testing.T) {
	start := time.Now()
	redisAddr, stopRedis := startRedis(t)
	fake := fakeupstream.New(fakeupstream.Config{})
	t.Cleanup(fake.Close)
	bin := chorusBinary(t)
	t.Log("built", time.Since(start))
	a, b := startChorus(t, bin, redisAddr, fake), startChorus(t, bin, redisAddr, fake)
	t.Log("started", time.Since(start))

	// A cache entry written by one replica is a hit on the other.
	first := ask(t, a, freeKey, "shared question")
	require.Equal(t, http.StatusOK, first.status, first.body)
	require.Equal(t, "miss", first.cache)
	calls := fake.Total()
	second := ask(t, b, freeKey, "shared question")
	require.Equal(t, http.StatusOK, second.status, second.body)
	require.Equal(t, "hit", second.cache, "replica B reads replica A's entry")
	require.Equal(t, calls, fake.Total(), "the hit made no upstream call")

	// One key's budget (3 per minute) is shared by both replicas.
	for i, srv := range []*chorusproc.Server{a, b, a} {
		r := ask(t, srv, teamKey, fmt.Sprintf("budget %d", i))
		require.Equal(t, http.StatusOK, r.status, "request %d of 3: %s", i+1, r.body)
	}
	over := ask(t, b, teamKey, "budget 3")
	require.Equal(t, http.StatusTooManyRequests, over.status, "the fourth request, on the other replica, is over the shared budget")
	require.Contains(t, over.body, "rate_limit_error")
	require.Equal(t, http.StatusOK, ask(t, b, freeKey, "another key").status, "other keys are unaffected")

	// Redis going away loses no request: cache misses, limits fail open.
	t.Log("stopping redis", time.Since(start))
	stopRedis()
	for i, srv := range []*chorusproc.Server{a, b, a, b} {
		r := ask(t, srv, teamKey, fmt.Sprintf("after redis %d", i))
		require.Equal(t, http.StatusOK, r.status, "request %d without Redis: %s", i, r.body)
		require.Equal(t, "miss", r.cache)
	}
	require.Equal(t, http.StatusOK, ask(t, a, freeKey, "shared question").status)
	require.GreaterOrEqual(t, recorder.Checked(), 13, "the recorder saw this test's answers")
	t.Log("done", time.Since(start))
}
