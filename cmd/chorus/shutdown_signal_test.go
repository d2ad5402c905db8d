package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	official "github.com/chorus-ai/chorus/test/contract"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// shutdownTOML serves "held" (the upstream never answers) and "slow" (one
// chunk, then nothing for an hour) with a one-second drain.
const shutdownTOML = `
[server]
port = %d
shutdown_timeout_secs = 1
keepalive_secs = 9

[[model]]
name = "held"
api_base = "%[2]s"
api_key = "k"

[[model]]
name = "slow"
api_base = "%[2]s"
api_key = "k"

[workflow-integration]
json = '''{"analyzer":{"ref":"held"},"workers":["held"],"synthesizer":{"ref":"held"}}'''
`

// outcome is what a client saw of a request cut by the shutdown.
type outcome struct {
	status     int
	retryAfter string
	tail       string // the body, or a stream's part after the first content
	err        error
}

// TestSIGTERMAnswersCutRequestsHonestly sends the process SIGTERM while
// requests are still running past shutdown_timeout_secs: whole answers and
// streams that sent nothing get a retryable 503 JSON error, started streams
// end with their protocol's error, never as a clean finish or an empty 200.
func TestSIGTERMAnswersCutRequestsHonestly(t *testing.T) {
	gate := make(chan struct{})
	defer close(gate)
	fake := fakeupstream.New(fakeupstream.Config{
		Chunks: 3, ChunkSpacing: time.Hour,
		Hold: func(r fakeupstream.Request) <-chan struct{} {
			if r.Model == "held" {
				return gate
			}
			return nil
		},
	})
	defer fake.Close()
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cfg := writeTemp(t, "shutdown.toml", fmt.Sprintf(shutdownTOML, port, fake.OpenAIBase()))

	ctx, stop := signalContext()
	defer stop()
	var logs lockedWriter
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"-c", cfg}, exampleEnv(nil), &logs, &logs) }()
	waitReady(t, base, exited)

	requests := []struct {
		name, path, body string
		started          bool // the answer has begun when SIGTERM arrives
	}{
		{"whole answer", "/v1/chat/completions", `{"model":"held","messages":[{"role":"user","content":"hi"}]}`, false},
		{"stream that sent nothing", "/v1/chat/completions", `{"model":"held","stream":true,"messages":[{"role":"user","content":"hi"}]}`, false},
		{"started chat stream", "/v1/chat/completions", `{"model":"slow","stream":true,"messages":[{"role":"user","content":"hi"}]}`, true},
		{"started Ollama stream", "/api/chat", `{"model":"slow","messages":[{"role":"user","content":"hi"}]}`, true},
		{"started Responses stream", "/v1/responses", `{"model":"slow","stream":true,"input":"hi"}`, true},
	}
	// Every cut answer must still be the official error or event of its
	// dialect: the recorder checks each one as it is read.
	rec := official.NewRecorder(nil)
	client := &http.Client{Transport: rec}
	outcomes := make([]chan outcome, len(requests))
	var started sync.WaitGroup
	for i, rq := range requests {
		outcomes[i] = make(chan outcome, 1)
		if rq.started {
			started.Add(1)
		}
		go func() { outcomes[i] <- send(client, base+rq.path, rq.body, rq.started, started.Done) }()
	}
	started.Wait()
	require.NoError(t, fake.WaitFor(waitCtxFor(t), func(s *fakeupstream.Server) bool { return s.InFlight() == int64(len(requests)) }))

	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))

	got := make([]outcome, len(requests))
	for i := range requests {
		got[i] = <-outcomes[i]
		require.NoError(t, got[i].err, requests[i].name)
	}
	requireHonestEndings(t, got)
	require.Equal(t, len(requests), rec.Checked())
	require.NoError(t, rec.Problems(), "answers that break the official documents")

	select {
	case code := <-exited:
		require.Equal(t, 0, code, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not exit after SIGTERM")
	}
	require.Contains(t, logs.String(), `"level":"warn"`)
	require.Regexp(t, `"level":"warn"[^\n]*"status":503`, logs.String(), "each cut request is logged at warn")
}

// requireHonestEndings checks what each client of the test saw: the whole
// answer and the unstarted stream a retryable 503 JSON error, the started
// streams their protocol's error ending and never a clean finish.
func requireHonestEndings(t *testing.T, got []outcome) {
	t.Helper()
	for i := range 2 {
		require.Equal(t, http.StatusServiceUnavailable, got[i].status, "request %d (whole answer, unstarted stream): %s", i, got[i].tail)
		require.Equal(t, "2", got[i].retryAfter, "request %d", i)
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(got[i].tail), &e), got[i].tail)
		require.Equal(t, "server_shutting_down", e.Error.Code)
	}
	chat := got[2].tail
	require.Contains(t, chat, `"code":"server_shutting_down"`)
	require.NotContains(t, chat, "[DONE]", "a cut stream never ends like a finished one")
	require.NotContains(t, chat, `"finish_reason":"stop"`)
	ollama := strings.TrimSpace(got[3].tail)
	last := ollama[strings.LastIndex(ollama, "\n")+1:]
	require.Contains(t, last, `"error":`, ollama)
	require.NotContains(t, ollama, `"done":true`)
	require.Contains(t, got[4].tail, "event: response.failed")
	require.NotContains(t, got[4].tail, "response.completed")
}

// send posts body; for a started request it reads until the first content
// arrived, calls started, and then keeps the rest as the tail.
func send(client *http.Client, url, body string, isStream bool, started func()) outcome {
	resp, err := client.Post(url, "application/json", strings.NewReader(body)) //nolint:noctx // ends with the server
	if err != nil {
		return outcome{err: err}
	}
	defer resp.Body.Close()
	o := outcome{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	rd := bufio.NewReader(resp.Body)
	if isStream {
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				started()
				return outcome{err: fmt.Errorf("stream ended before its first content: %w", err)}
			}
			if strings.Contains(line, `"content":"`) && !strings.Contains(line, `"content":""`) ||
				strings.Contains(line, "output_text.delta") {
				break
			}
		}
		started()
	}
	rest, err := io.ReadAll(rd)
	o.tail, o.err = string(rest), err
	return o
}

// waitReady polls /readyz until the server answers (or run exited).
func waitReady(t *testing.T, base string, exited <-chan int) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz") //nolint:noctx // a probe
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case code := <-exited:
			t.Fatalf("serve exited with %d before it was ready", code)
		case <-deadline:
			t.Fatal("serve did not become ready")
		case <-tick.C:
		}
	}
}

func waitCtxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// lockedWriter collects the server's log lines from many goroutines.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
