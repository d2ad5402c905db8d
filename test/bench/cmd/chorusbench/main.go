// Command chorusbench is the gateway load benchmark (`make bench`, via
// scripts/bench.sh): it starts the fixed-latency fake upstream and the real
// chorus binary, pins them to separate cores with taskset when available,
// and prints one line per scenario with req/s, p50/p90/p99, the added
// latency versus direct in the same run, the gateway's CPU and peak RSS, and
// PASS/MISS against the targets of issue 7. It exits 1 when a target is
// missed (2 on a setup failure).
//
// With -profile DIR it instead runs the passthrough closed-loop load with
// [server] pprof = true and saves CPU and allocation profiles of the gateway
// in DIR (inspect with `go tool pprof -top`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/chorus-ai/chorus/test/bench"
)

func main() {
	os.Exit(run())
}

func run() int {
	o, c := parseFlags()
	if c.selfProfile != "" {
		stop, err := startCPUProfile(c.selfProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chorusbench:", err)
			return 2
		}
		defer stop()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.profileDir != "" {
		if err := bench.Profile(ctx, o, c.profileDir, c.profileFor, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "chorusbench:", err)
			return 2
		}
		return 0
	}
	if err := bench.Run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "chorusbench:", err)
		if errors.Is(err, bench.ErrTargetMissed) {
			return 1
		}
		return 2
	}
	return 0
}

// modeFlags choose what the run does besides the benchmark options.
type modeFlags struct {
	profileDir  string
	profileFor  time.Duration
	selfProfile string
}

// parseFlags reads the command line into the benchmark options.
func parseFlags() (bench.Options, modeFlags) {
	o := bench.DefaultOptions()
	var c modeFlags
	var scenarios, gwArgs, logLevel string
	flag.StringVar(&o.Binary, "gateway", o.Binary, "chorus binary under test")
	flag.StringVar(&scenarios, "scenarios", "", "comma-separated subset of open,closed,stream,workflow,depth,ttft,cache (default all)")
	flag.BoolVar(&o.DirectOnly, "direct-only", false, "measure only the direct-to-upstream baselines (no gateway)")
	flag.StringVar(&logLevel, "log-level", "info", "gateway --log-level")
	flag.StringVar(&gwArgs, "gateway-args", "", "extra gateway arguments, space-separated")
	flag.IntVar(&o.Rate, "rate", o.Rate, "open-loop request rate (req/s)")
	flag.DurationVar(&o.OpenDuration, "open", o.OpenDuration, "duration of each open-loop run")
	flag.IntVar(&o.Conns, "conns", o.Conns, "closed-loop connections")
	flag.DurationVar(&o.ClosedDuration, "closed", o.ClosedDuration, "duration of each closed-loop run")
	flag.DurationVar(&o.Warmup, "warmup", o.Warmup, "unmeasured warm-up before each run")
	flag.IntVar(&o.WorkflowConc, "workflow-conc", o.WorkflowConc, "concurrent workflows")
	flag.DurationVar(&o.WorkflowDuration, "workflow", o.WorkflowDuration, "duration of the workflow run")
	flag.IntVar(&o.Depth, "depth", o.Depth, "nested_worker_depth of the nesting scenario")
	flag.BoolVar(&o.Lockstep, "lockstep", false, "start the concurrent workflows all at once (synchronised bursts) instead of spread over one critical path")
	flag.IntVar(&o.DepthConc, "depth-conc", o.DepthConc, "concurrent workflows in the nesting scenario")
	flag.DurationVar(&o.DepthDuration, "depth-duration", o.DepthDuration, "duration of the nesting run")
	flag.IntVar(&o.TTFTConc, "ttft-conc", o.TTFTConc, "concurrent streamed workflows in the TTFT scenario")
	flag.DurationVar(&o.TTFTDuration, "ttft", o.TTFTDuration, "duration of the TTFT run")
	flag.DurationVar(&o.FastLatency, "fast-latency", o.FastLatency, "passthrough upstream latency")
	flag.DurationVar(&o.SlowLatency, "slow-latency", o.SlowLatency, "workflow upstream latency")
	flag.StringVar(&c.profileDir, "profile", "", "profile mode: save gateway pprof profiles under this directory")
	flag.DurationVar(&c.profileFor, "profile-for", 10*time.Second, "CPU profile length in profile mode (whole seconds)")
	flag.StringVar(&c.selfProfile, "self-cpuprofile", "", "write this benchmark process's own CPU profile here (load generator + fake upstream)")
	flag.Parse()

	if abs, err := filepath.Abs(o.Binary); err == nil && strings.ContainsRune(o.Binary, filepath.Separator) {
		o.Binary = abs
	}
	if scenarios != "" {
		o.Scenarios = strings.Split(scenarios, ",")
	}
	o.GatewayArgs = append([]string{"--log-level", logLevel}, strings.Fields(gwArgs)...)
	o.Commit = commit()
	o.Date = time.Now().UTC().Format(time.RFC3339)
	return o, c
}

// startCPUProfile profiles this process (load generator and fake upstream)
// into path until the returned stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}

// commit is the short hash of HEAD, with "-dirty" when the tree has changes.
func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		c += "-dirty"
	}
	return c
}
