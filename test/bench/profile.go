package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// Profile starts the gateway with [server] pprof = true and, under each
// load in turn (passthrough closed loop non-stream, then stream, then the
// workflow at WorkflowConc, its starts spread like the workflow scenario's
// unless Lockstep, then streamed workflows at TTFTConc, whose p50/p99 are
// the first-token relay delay), saves a CPU profile of length d, an
// allocation profile and a runtime execution trace of the first traceFor
// of the CPU profile (read with go tool trace: scheduler latency, network
// and syscall blocking) into dir: cpu-<load>.pprof, allocs-<load>.pprof and
// trace-<load>.out.
func Profile(ctx context.Context, opts Options, dir string, d time.Duration, out io.Writer) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("profile dir: %w", err)
	}
	r := &Runner{opts: opts, out: out, pin: DetectPinning()}
	if err := r.pin.PinSelf(); err != nil {
		return err
	}
	if r.dir, err = os.MkdirTemp("", "chorusbench-"); err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(r.dir)
	r.startUpstreams()
	defer r.closeUpstreams()
	if err := r.startGateway(ctx, 1, true); err != nil {
		return err
	}
	defer r.stopGateway()
	url := r.gw.URL + "/v1/chat/completions"
	loads := []struct {
		kind string
		run  func(d time.Duration) Summary
	}{
		{"nonstream", r.passthroughLoad(url, false)},
		{"stream", r.passthroughLoad(url, true)},
		{"workflow", func(d time.Duration) Summary {
			client := NewClient(opts.WorkflowConc)
			defer client.CloseIdleConnections()
			stagger := time.Duration(CriticalCalls(1)) * opts.SlowLatency
			if opts.Lockstep {
				stagger = 0
			}
			return WorkflowLoop(ctx, client, url, WorkflowModel, fakeupstream.MarkerPrefix, r.slow, opts.WorkflowConc, d, stagger).Wall
		}},
		{"workflow-stream", func(d time.Duration) Summary {
			client := NewClient(opts.TTFTConc)
			defer client.CloseIdleConnections()
			return StreamTTFT(ctx, client, url, WorkflowModel, fakeupstream.MarkerPrefix, r.slow, opts.TTFTConc, d).Relay
		}},
	}
	for _, l := range loads {
		l.run(opts.Warmup)
		done := make(chan Summary, 1)
		go func() { done <- l.run(d + time.Second) }()
		tracePath := filepath.Join(dir, "trace-"+l.kind+".out")
		traced := make(chan error, 1)
		go func() {
			traced <- fetch(ctx, r.gw.AdminURL+"/debug/pprof/trace?seconds="+strconv.Itoa(int(traceFor/time.Second)), tracePath)
		}()
		cpuPath := filepath.Join(dir, "cpu-"+l.kind+".pprof")
		perr := fetch(ctx, r.gw.AdminURL+"/debug/pprof/profile?seconds="+strconv.Itoa(int(d/time.Second)), cpuPath)
		terr := <-traced
		s := <-done
		if err := errors.Join(perr, terr); err != nil {
			return err
		}
		allocPath := filepath.Join(dir, "allocs-"+l.kind+".pprof")
		if err := fetch(ctx, r.gw.AdminURL+"/debug/pprof/allocs", allocPath); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %.1f req/s, p50 %s p99 %s, %d errors under profiling; wrote %s, %s (allocs are cumulative since start) and %s\n",
			l.kind, s.RPS, ms(s.P50), ms(s.P99), s.Errors, cpuPath, allocPath, tracePath)
	}
	return nil
}

// traceFor is the length of the execution trace taken in profile mode.
const traceFor = 3 * time.Second

// passthroughLoad returns a closed-loop passthrough load of the given kind
// on one keep-alive pool.
func (r *Runner) passthroughLoad(url string, stream bool) func(time.Duration) Summary {
	client := NewClient(r.opts.Conns)
	req := Request{URL: url, Body: chatBody(PassthroughModel, stream), Stream: stream}
	return func(d time.Duration) Summary {
		return ClosedLoop(context.Background(), client, req, r.opts.Conns, d)
	}
}

// fetch saves the body of GET url into path.
func fetch(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("build %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("get %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("get %s: status %d: %s (is [server] pprof on, on the admin listener?)", url, resp.StatusCode, b)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
