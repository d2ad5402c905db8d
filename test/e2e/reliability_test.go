package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// stageDeadline is the per-stage timeout of the reliability runs; FaultSlow
// waits far longer, so a slow call always hits it.
const stageDeadline = 500 * time.Millisecond

// shortTimeouts sets every model's stage timeouts to stageDeadline (TOML
// only has whole seconds).
func shortTimeouts(s *config.Settings) {
	for i := range s.Models {
		s.Models[i].Timeouts.Analyzer = stageDeadline
		s.Models[i].Timeouts.Worker = stageDeadline
		s.Models[i].Timeouts.Selector = stageDeadline
		s.Models[i].Timeouts.Synthesizer = stageDeadline
		s.Workflow.Models[s.Models[i].Name] = s.Models[i]
	}
}

// outcome is what one client request of the fault mix got back.
type outcome struct {
	id       int
	stream   bool
	status   int
	text     string
	errMsg   string         // error message (body or in-stream)
	workflow map[string]any // non-stream 200 only
	done     bool           // stream ended as a success
}

var tagRE = regexp.MustCompile(`\[req (\d{6})\]`)

// TestReliabilityUnderFaultMix sends 2000 workflow requests (32 at a time,
// half streamed) while the upstreams randomly fail in every supported way,
// and checks that every request gets an answer or a typed error, that the
// trace accounts for every injected failure, that nothing panics, and that
// no goroutine outlives the server. Its 500 ms stage deadlines make it a
// load test (a busy machine misses them), so make test skips it.
func TestReliabilityUnderFaultMix(t *testing.T) {
	loadTest(t)
	total, concurrency := 2000, 32
	if testing.Short() {
		total = 300
	}
	leaks := goleak.IgnoreCurrent()
	s := startStack(t, stackOptions{
		fake: fakeupstream.Config{Chunks: 4, Faults: fakeupstream.Random(42, 0.2)},
		tune: shortTimeouts,
	})

	outcomes := make([]outcome, total)
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				outcomes[i] = s.faultMixRequest(i)
			}
		}()
	}
	for i := range total {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)

	calls := map[int]map[string]fakeupstream.Request{}
	for _, r := range s.fake.Requests() {
		m := tagRE.FindStringSubmatch(joinMessages(r))
		require.NotNil(t, m, "every upstream call carries its request's tag")
		id, _ := strconv.Atoi(m[1])
		if calls[id] == nil {
			calls[id] = map[string]fakeupstream.Request{}
		}
		calls[id][r.Model] = r
	}

	stats := map[string]int{}
	for _, o := range outcomes {
		checkOutcome(t, o, calls[o.id], stats)
	}
	t.Logf("fault mix: %d requests in %v (%.0f req/s), %d upstream calls, %d faults injected; outcomes %v",
		total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), s.fake.Total(), s.fake.Faulted(), stats)
	require.Positive(t, stats["ok"], "some requests succeed")
	require.Positive(t, stats["error"], "some requests fail: the mix is not too gentle")
	require.Less(t, stats["unfaulted_timeout"], total/100, "calls without an injected fault rarely miss the %v deadline", stageDeadline)

	require.NoError(t, s.stop())
	s.noPanics(t)
	s.fake.Close()
	goleak.VerifyNone(t, leaks)
}

// faultMixRequest sends request i: even ids stream, odd ids do not; ids
// alternate between the OpenAI and Ollama routes.
func (s *stack) faultMixRequest(i int) outcome {
	o := outcome{id: i, stream: i%2 == 0}
	prompt := fmt.Sprintf("[req %06d] what is %d squared?", i, i)
	ollama := i%4 < 2
	var route, body string
	if ollama {
		route = "/api/chat"
		b, _ := json.Marshal(map[string]any{"model": workflowName, "stream": o.stream, "include_workflow": true,
			"messages": []map[string]string{{"role": "user", "content": prompt}}})
		body = string(b)
	} else {
		route = "/v1/chat/completions"
		b, _ := json.Marshal(map[string]any{"model": workflowName, "stream": o.stream, "include_workflow": true,
			"messages": []map[string]string{{"role": "user", "content": prompt}}})
		body = string(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+route, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		o.errMsg = "transport: " + err.Error()
		return o
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		o.errMsg = "read: " + err.Error()
		return o
	}
	o.status = resp.StatusCode
	if !isStream(resp.Header) {
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil {
			o.errMsg = "not JSON: " + truncate(raw, 200)
			return o
		}
		if e, ok := m["error"].(map[string]any); ok {
			o.errMsg = str(e["message"])
			if str(e["type"]) == "" {
				o.errMsg = "untyped error: " + o.errMsg
			}
			return o
		}
		if e, ok := m["error"].(string); ok { // Ollama's error on /api/*
			o.errMsg = e
			return o
		}
		o.workflow, _ = m["workflow"].(map[string]any)
		o.text = str(path(m, "message", "content")) + str(path(m, "choices", 0, "message", "content"))
		o.done = true
		return o
	}
	o.text, o.done, o.errMsg = readStream(raw, ollama)
	return o
}

// readStream reads a streamed answer: its text, whether it ended as a
// success, and the in-stream error message if any.
func readStream(raw []byte, ollama bool) (text string, done bool, errMsg string) {
	var b strings.Builder
	for _, line := range bytes.Split(raw, []byte("\n")) {
		payload, doneMarker, ok := streamLine(line, ollama)
		if !ok {
			continue
		}
		if doneMarker {
			if errMsg == "" {
				done = true
			}
			continue
		}
		var m map[string]any
		if json.Unmarshal(payload, &m) != nil {
			return b.String(), false, "undecodable chunk: " + string(payload)
		}
		if e, ok := m["error"]; ok {
			errMsg = inStreamError(e)
			continue
		}
		b.WriteString(str(path(m, "message", "content")) + str(path(m, "choices", 0, "delta", "content")))
		if ollama && m["done"] == true && errMsg == "" {
			done = true
		}
	}
	return b.String(), done, errMsg
}

// streamLine is one line of a stream: a JSON payload, the SSE [DONE]
// marker, or (ok false) nothing to read.
func streamLine(line []byte, ollama bool) (payload []byte, doneMarker, ok bool) {
	line = bytes.TrimSpace(line)
	if ollama {
		return line, false, len(line) > 0
	}
	data, isData := bytes.CutPrefix(line, []byte("data:"))
	if !isData {
		return nil, false, false
	}
	data = bytes.TrimSpace(data)
	if string(data) == "[DONE]" {
		return nil, true, true
	}
	return data, false, true
}

// inStreamError is the message of an in-stream error value (an OpenAI
// error object or an Ollama error string); never empty.
func inStreamError(e any) string {
	msg := fmt.Sprint(e)
	if em, ok := e.(map[string]any); ok {
		msg = str(em["message"])
	}
	if msg == "" {
		return "empty error"
	}
	return msg
}

// checkOutcome holds one request's outcome against the faults its upstream
// calls got.
func checkOutcome(t *testing.T, o outcome, calls map[string]fakeupstream.Request, stats map[string]int) {
	t.Helper()
	require.NotContains(t, o.errMsg, "transport:", "request %d: the server always answers", o.id)
	require.NotContains(t, o.errMsg, "untyped error", "request %d", o.id)
	require.NotContains(t, o.errMsg, "not JSON", "request %d", o.id)
	require.NotContains(t, o.errMsg, "undecodable", "request %d", o.id)
	if !checkSucceeded(t, o, calls, stats) {
		return
	}
	checkAnswerSource(t, o, calls, stats)
	if o.workflow == nil {
		require.True(t, o.stream, "request %d: include_workflow adds the trace", o.id)
		return
	}
	checkTracedFailures(t, o, calls, stats)
}

// faulted reports whether model's call got a fault.
func faulted(calls map[string]fakeupstream.Request, model string) bool {
	return calls[model].Fault != fakeupstream.FaultNone
}

// checkSucceeded checks a failed request failed for a reason (every worker
// failed, or the synthesizer mid-stream) and reports whether it succeeded.
func checkSucceeded(t *testing.T, o outcome, calls map[string]fakeupstream.Request, stats map[string]int) bool {
	t.Helper()
	workersFailed := faulted(calls, mWorkerOAI) && faulted(calls, mWorkerOll)
	switch o.status {
	case http.StatusOK:
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		require.NotEmpty(t, o.errMsg, "request %d: an error status carries a typed error body", o.id)
		require.True(t, workersFailed, "request %d failed with %d (%s) although a worker answered (faults %s/%s)",
			o.id, o.status, o.errMsg, calls[mWorkerOAI].Fault, calls[mWorkerOll].Fault)
		stats["error"]++
		return false
	default:
		t.Fatalf("request %d: status %d (%s) is not one of 200/502/504", o.id, o.status, o.errMsg)
	}
	if o.errMsg != "" { // an error reported inside a started stream
		require.True(t, o.stream, "request %d", o.id)
		require.False(t, o.done, "request %d: a stream with an error does not end as a success", o.id)
		require.True(t, workersFailed || faulted(calls, mSynth),
			"request %d: in-stream error %q without a failing worker set or synthesizer", o.id, o.errMsg)
		stats["error"]++
		return false
	}
	require.True(t, o.done, "request %d: a 200 answer is complete", o.id)
	require.False(t, workersFailed, "request %d: succeeded although every worker failed", o.id)
	stats["ok"]++
	return true
}

// checkAnswerSource checks the answer is the synthesizer's, or, when it
// failed, a worker's.
func checkAnswerSource(t *testing.T, o outcome, calls map[string]fakeupstream.Request, stats map[string]int) {
	t.Helper()
	candidates := []string{}
	for _, w := range []string{mWorkerOAI, mWorkerOll} {
		if !faulted(calls, w) {
			candidates = append(candidates, fakeupstream.AnswerFor(calls[w]).Text)
		}
	}
	if !faulted(calls, mSynth) && calls[mSynth].Model != "" {
		require.Equal(t, fakeupstream.AnswerFor(calls[mSynth]).Text, o.text, "request %d", o.id)
		return
	}
	require.Contains(t, candidates, o.text, "request %d: the synthesizer failed (%s), a worker's answer is returned", o.id, calls[mSynth].Fault)
	stats["synth_fallback"]++
}

// checkTracedFailures checks the trace accounts for every failed call.
func checkTracedFailures(t *testing.T, o outcome, calls map[string]fakeupstream.Request, stats map[string]int) {
	t.Helper()
	checkStage := func(stage string, trace any, model string) {
		st := str(path(trace, "status"))
		if faulted(calls, model) {
			require.NotEqual(t, "ok", st, "request %d: %s %s got fault %s but the trace says ok", o.id, stage, model, calls[model].Fault)
			if str(path(trace, "error")) == "" && st != "fallback" {
				t.Fatalf("request %d: %s %s failed (%s) without an error in the trace", o.id, stage, model, st)
			}
			stats["traced_failure"]++
		} else if st != "ok" && calls[model].Model != "" {
			require.Equal(t, "timeout", st, "request %d: %s %s had no fault: %v", o.id, stage, model, trace)
			stats["unfaulted_timeout"]++
		}
	}
	for _, w := range o.workflow["workers"].([]any) {
		checkStage("worker", w, str(path(w, "model")))
	}
	checkStage("analyzer", o.workflow["analyzer"], mAnalyst)
	if sel := o.workflow["selector"]; sel != nil {
		checkStage("selector", sel, mJudge)
	}
	if syn := o.workflow["synthesizer"]; syn != nil {
		checkStage("synthesizer", syn, mSynth)
	}
}

// TestGracefulShutdownUnderLoad stops the server while 32 workflows (half
// streamed) wait on their workers; every one of them completes.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	gate := make(chan struct{})
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 3, Hold: func(r fakeupstream.Request) <-chan struct{} {
		if r.Model == mWorkerOAI || r.Model == mWorkerOll {
			return gate
		}
		return nil
	}}})
	const n = 32
	outcomes := make(chan outcome, n)
	for i := range n {
		go func() { outcomes <- s.faultMixRequest(i) }()
	}
	waitFor(t, s.fake, "every workflow waiting on its workers", func(f *fakeupstream.Server) bool { return f.InFlight() == 2*n })
	stopped := make(chan error, 1)
	go func() { stopped <- s.stop() }()
	select {
	case <-s.app.Draining():
	case <-time.After(10 * time.Second):
		t.Fatal("drain did not start")
	}
	close(gate)
	for range n {
		o := <-outcomes
		require.Equal(t, http.StatusOK, o.status, "request %d: %s", o.id, o.errMsg)
		require.True(t, o.done, "request %d finished", o.id)
		require.Empty(t, o.errMsg)
		require.NotEmpty(t, o.text)
	}
	require.NoError(t, <-stopped)
	_, err := http.Get(s.base + "/healthz")
	require.Error(t, err, "no new connections after shutdown")
	s.noPanics(t)
}
