package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/test/fakeupstream"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// Options configure a benchmark run. Durations are per measured run; every
// measured run is preceded by Warmup of the same load.
type Options struct {
	// Binary is the chorus executable under test.
	Binary string
	// Scenarios selects what runs: any of "open", "closed", "stream",
	// "workflow", "depth", "ttft", "cache"; empty means all.
	Scenarios []string
	// DirectOnly measures only the direct-to-upstream baselines (no gateway).
	DirectOnly bool

	Rate             int
	OpenDuration     time.Duration
	Conns            int
	ClosedDuration   time.Duration
	Warmup           time.Duration
	WorkflowConc     int
	WorkflowDuration time.Duration
	Depth            int
	DepthConc        int
	DepthDuration    time.Duration
	TTFTConc         int
	TTFTDuration     time.Duration
	// Lockstep starts all concurrent workflows at once (they then stay
	// synchronised: every stage of every workflow hits the gateway in the
	// same burst); by default starts are spread over one critical path.
	Lockstep bool

	FastLatency   time.Duration
	SlowLatency   time.Duration
	Chunks        int
	ChunkInterval time.Duration

	// GatewayArgs are extra command-line arguments for the gateway.
	GatewayArgs []string
	// Commit and Date go into the header.
	Commit, Date string
}

// DefaultOptions are sized so that a full run takes about two minutes.
func DefaultOptions() Options {
	return Options{
		Binary:           "bin/chorus",
		Rate:             1000,
		OpenDuration:     10 * time.Second,
		Conns:            64,
		ClosedDuration:   10 * time.Second,
		Warmup:           time.Second,
		WorkflowConc:     50,
		WorkflowDuration: 10 * time.Second,
		Depth:            3,
		DepthConc:        10,
		DepthDuration:    10 * time.Second,
		TTFTConc:         10,
		TTFTDuration:     5 * time.Second,
		FastLatency:      10 * time.Millisecond,
		SlowLatency:      100 * time.Millisecond,
		Chunks:           16,
		ChunkInterval:    time.Millisecond,
	}
}

func (o Options) wants(s string) bool {
	return len(o.Scenarios) == 0 || slices.Contains(o.Scenarios, s)
}

// Scenarios are the names Options.Scenarios may hold.
var Scenarios = []string{"open", "closed", "stream", "workflow", "depth", "ttft", "cache"}

// selected is the scenarios this run measures.
func (o Options) selected() []string {
	if len(o.Scenarios) == 0 {
		return Scenarios
	}
	return o.Scenarios
}

// Validate rejects unknown scenario names: a typo must not pass as a run
// that measured nothing.
func (o Options) Validate() error {
	for _, s := range o.Scenarios {
		if !slices.Contains(Scenarios, s) {
			return fmt.Errorf("unknown scenario %q (want any of %s)", s, strings.Join(Scenarios, ","))
		}
	}
	return nil
}

// ErrTargetMissed is returned by Run when a scenario missed its target.
var ErrTargetMissed = errors.New("at least one target was missed")

// ErrNoVerdict is returned by Run when a selected scenario judged no
// target: a scenario that measured nothing must not pass.
var ErrNoVerdict = errors.New("no scenario produced a verdict")

// Runner holds the fake upstreams and the gateway of one benchmark run.
type Runner struct {
	opts    Options
	out     io.Writer
	pin     Pinning
	dir     string
	fast    *fakeupstream.Server
	slow    *fakeupstream.Server
	gw      *Gateway
	depth   int
	cache   bool // the running gateway has the answer cache on
	report  *Report
	baseCPU time.Duration
	baseAt  time.Time
	// baseConns is the upstreams' accepted connections at markCPU.
	baseConns int64
}

// upstreamConns is the number of connections the fake upstreams accepted.
func (r *Runner) upstreamConns() int64 { return int64(r.fast.NewConns() + r.slow.NewConns()) }

// connNote tells how many upstream connections the gateway opened since
// markCPU (a gateway reusing keep-alive connections opens few).
func (r *Runner) connNote() string {
	return fmt.Sprintf("; %d new upstream conns", r.upstreamConns()-r.baseConns)
}

// Run executes the selected scenarios and writes the report to out. It
// returns an error when the setup fails or a target is missed.
func Run(ctx context.Context, opts Options, out io.Writer) (err error) {
	if err := opts.Validate(); err != nil {
		return err
	}
	r := &Runner{opts: opts, out: out, pin: DetectPinning()}
	if err := r.pin.PinSelf(); err != nil {
		return err
	}
	r.dir, err = os.MkdirTemp("", "chorusbench-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer func() {
		if err == nil {
			_ = os.RemoveAll(r.dir)
		}
	}()
	r.startUpstreams()
	defer r.closeUpstreams()
	defer r.stopGateway()

	r.header()
	r.report = NewReport(out)
	if err := r.passthrough(ctx); err != nil {
		return err
	}
	if !opts.DirectOnly {
		if err := r.workflows(ctx); err != nil {
			return err
		}
		if opts.wants("cache") {
			if err := r.cacheHits(ctx); err != nil {
				return err
			}
		}
	}
	if !r.report.AllPass() {
		return ErrTargetMissed
	}
	if !opts.DirectOnly {
		return r.report.Unjudged(opts.selected())
	}
	return nil
}

// startUpstreams starts the fast (passthrough) and slow (workflow) fake
// upstreams in their pre-encoded mode.
func (r *Runner) startUpstreams() {
	o := r.opts
	r.fast = fakeupstream.New(fakeupstream.Config{Preencoded: true, Latency: o.FastLatency, Chunks: o.Chunks,
		ChunkSpacing: o.ChunkInterval, Model: PassthroughModel})
	r.slow = fakeupstream.New(fakeupstream.Config{Preencoded: true, Latency: o.SlowLatency, Chunks: o.Chunks,
		ChunkSpacing: o.ChunkInterval})
}

func (r *Runner) closeUpstreams() {
	r.fast.Close()
	r.slow.Close()
}

func (r *Runner) header() {
	o := r.opts
	fmt.Fprintf(r.out, "# chorus load benchmark  commit %s  date %s  cpus %d  %s  %s/%s\n",
		o.Commit, o.Date, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(r.out, "# pinning: %s; gateway %s %s\n", r.pin, o.Binary, strings.Join(o.GatewayArgs, " "))
	starts := "spread over one critical path"
	if o.Lockstep {
		starts = "all at once (lockstep)"
	}
	fmt.Fprintf(r.out, "# passthrough and workflow rows: answer cache off, no rate limits; cache rows: [cache] enabled, hits of one entry\n")
	fmt.Fprintf(r.out, "# fake upstream: passthrough %s (stream: %d chunks %s apart), workflow %s; open loop %d req/s for %s; closed loop %d conns for %s; warm-up %s per run; concurrent workflows start %s\n",
		o.FastLatency, o.Chunks, o.ChunkInterval, o.SlowLatency, o.Rate, o.OpenDuration, o.Conns, o.ClosedDuration, o.Warmup, starts)
}

// startGateway (re)starts the gateway with the workflow at depth, the
// answer cache off.
func (r *Runner) startGateway(ctx context.Context, depth int, pprof bool) error {
	return r.startGatewayWith(ctx, ConfigParams{Depth: depth, Pprof: pprof})
}

// startGatewayWith (re)starts the gateway with p (its port and upstream
// URLs filled in) unless the running one has the same depth and cache.
func (r *Runner) startGatewayWith(ctx context.Context, p ConfigParams) error {
	if r.gw != nil && r.depth == p.Depth && r.cache == p.Cache {
		return nil
	}
	r.stopGateway()
	port, err := chorusproc.FreePort(ctx)
	if err != nil {
		return err
	}
	p.Port, p.FastURL, p.SlowURL = port, r.fast.OpenAIBase(), r.slow.OpenAIBase()
	if p.Pprof { // profiles are fetched from the admin listener
		if p.AdminPort, err = chorusproc.FreePort(ctx); err != nil {
			return err
		}
	}
	gw, err := StartGateway(ctx, GatewayOptions{Binary: r.opts.Binary, Config: ConfigTOML(p), Port: port, AdminPort: p.AdminPort, Dir: r.dir, Args: r.opts.GatewayArgs, Pin: r.pin})
	if err != nil {
		return err
	}
	r.gw, r.depth, r.cache = gw, p.Depth, p.Cache
	return nil
}

func (r *Runner) stopGateway() {
	if r.gw != nil {
		_ = r.gw.Stop() // SIGTERM: an exit status of -1 or 143 is expected
		r.gw = nil
	}
}

// chatBody is a chat/completions request body for model.
func chatBody(model string, stream bool) []byte {
	b, _ := json.Marshal(map[string]any{
		"model":    model,
		"stream":   stream,
		"messages": []map[string]string{{"role": "user", "content": "Say hello to the benchmark."}},
	})
	return b
}

// markCPU starts a CPU measurement window of the gateway.
func (r *Runner) markCPU() {
	if r.gw == nil {
		return
	}
	r.baseCPU, _ = r.gw.CPU()
	r.baseAt = time.Now()
	r.baseConns = r.upstreamConns()
}

// gatewayUsage returns the gateway's CPU use since markCPU (percent of one
// core, and per request when n requests were served) and its peak RSS so
// far.
func (r *Runner) gatewayUsage(n int) (cpu string, rss string, peak int64, err error) {
	if err := r.gw.Exited(); err != nil {
		return "", "", 0, fmt.Errorf("gateway died during the run: %w (log %s)", err, r.gw.LogPath)
	}
	used, err := r.gw.CPU()
	if err != nil {
		return "", "", 0, err
	}
	peak, err = r.gw.PeakRSS()
	if err != nil {
		return "", "", 0, err
	}
	pct := 100 * float64(used-r.baseCPU) / float64(time.Since(r.baseAt))
	cpu = fmt.Sprintf("%.0f%%", pct)
	if n > 0 {
		cpu += fmt.Sprintf(" %dus/req", (used-r.baseCPU)/time.Duration(n)/time.Microsecond)
	}
	return cpu, mib(peak), peak, nil
}

// passthrough runs the open-loop and closed-loop scenarios, direct and
// through the gateway, then reports the gateway's peak RSS.
func (r *Runner) passthrough(ctx context.Context) error {
	o := r.opts
	if !o.DirectOnly {
		if err := r.startGateway(ctx, 1, false); err != nil {
			return err
		}
	}
	var peak int64
	if o.wants("open") {
		p, err := r.passthroughOpen(ctx)
		if err != nil {
			return err
		}
		peak = max(peak, p)
	}
	for _, stream := range []bool{false, true} {
		p, err := r.passthroughClosed(ctx, stream)
		if err != nil {
			return err
		}
		peak = max(peak, p)
	}
	if !o.DirectOnly && peak > 0 {
		r.report.Add(Row{Scenario: "passthrough gateway peak RSS", RSS: mib(peak),
			Verdict: verdict(peak <= 50<<20, "target 3: <=50MiB")})
	}
	return nil
}

// passthroughURLs are the chat completions URL of the fast upstream itself
// and the one of the gateway in front of it.
func (r *Runner) passthroughURLs() (direct, gateway string) {
	direct = r.fast.OpenAIBase() + "/chat/completions"
	if r.gw != nil {
		gateway = r.gw.URL + "/v1/chat/completions"
	}
	return direct, gateway
}

// passthroughOpen measures non-stream requests at a fixed rate, direct and
// through the gateway; it returns the gateway's peak RSS.
func (r *Runner) passthroughOpen(ctx context.Context) (int64, error) {
	o := r.opts
	direct, gateway := r.passthroughURLs()
	req := Request{URL: direct, Body: chatBody(PassthroughModel, false)}
	name := fmt.Sprintf("passthrough non-stream open %d/s", o.Rate)
	OpenLoop(ctx, req, o.Rate, o.Warmup)
	d := OpenLoop(ctx, req, o.Rate, o.OpenDuration)
	r.report.Add(Row{Scenario: name + " direct", Summary: d})
	if o.DirectOnly {
		return 0, nil
	}
	req.URL = gateway
	g, u, err := r.gatewayOpenLoop(ctx, req)
	if err != nil {
		return 0, err
	}
	a50, a99 := g.P50-d.P50, g.P99-d.P99
	ok := a50 <= 300*time.Microsecond && a99 <= 2*time.Millisecond && g.Errors == 0 && g.Count > 0
	r.report.Add(Row{Key: "open", Scenario: name + " gateway", Summary: g, CPU: u.cpu, RSS: u.rss,
		Versus:  "p50 " + signedMS(a50) + " p99 " + signedMS(a99) + r.connNote(),
		Verdict: verdict(ok, "target 1: added p50<=0.30ms p99<=2ms, 0 errors") + errNote(g)})
	return u.peak, nil
}

// passthroughClosed measures a closed loop of stream or non-stream
// requests, direct and through the gateway; it returns the gateway's peak
// RSS (0 when the scenario is not selected).
func (r *Runner) passthroughClosed(ctx context.Context, stream bool) (int64, error) {
	o := r.opts
	key, kind, target := "closed", "non-stream", 85.0
	if stream {
		key, kind, target = "stream", "stream", 75.0
	}
	if !o.wants(key) {
		return 0, nil
	}
	direct, gateway := r.passthroughURLs()
	name := fmt.Sprintf("passthrough %s closed %d conns", kind, o.Conns)
	req := Request{URL: direct, Body: chatBody(PassthroughModel, stream), Stream: stream}
	d := r.closed(ctx, req, o.Conns, o.ClosedDuration)
	r.report.Add(Row{Scenario: name + " direct", Summary: d})
	if o.DirectOnly {
		return 0, nil
	}
	req.URL = gateway
	g := r.closed(ctx, req, o.Conns, o.ClosedDuration)
	cpu, rss, peak, err := r.gatewayUsage(g.Count + g.Errors)
	if err != nil {
		return 0, err
	}
	pct := 0.0
	if d.RPS > 0 {
		pct = 100 * g.RPS / d.RPS
	}
	r.report.Add(Row{Key: key, Scenario: name + " gateway", Summary: g, CPU: cpu, RSS: rss,
		Versus:  fmt.Sprintf("%.1f%% of direct req/s", pct) + r.connNote(),
		Verdict: verdict(pct >= target && g.Errors == 0, "target 2: >=%.0f%% of direct, 0 errors", target) + errNote(g)})
	return peak, nil
}

// usage is the gateway's CPU and peak RSS over a measured run.
type usage struct {
	cpu, rss string
	peak     int64
}

// gatewayOpenLoop sends req at the open-loop rate after a warm-up and
// returns the measured run with the gateway's usage over it.
func (r *Runner) gatewayOpenLoop(ctx context.Context, req Request) (Summary, usage, error) {
	OpenLoop(ctx, req, r.opts.Rate, r.opts.Warmup)
	r.markCPU()
	g := OpenLoop(ctx, req, r.opts.Rate, r.opts.OpenDuration)
	var u usage
	var err error
	u.cpu, u.rss, u.peak, err = r.gatewayUsage(g.Count + g.Errors)
	return g, u, err
}

// closed runs a warm-up, then a measured closed loop with a fresh client;
// the gateway CPU window starts after the warm-up.
func (r *Runner) closed(ctx context.Context, req Request, conns int, d time.Duration) Summary {
	client := NewClient(conns)
	defer client.CloseIdleConnections()
	if r.opts.Warmup > 0 {
		ClosedLoop(ctx, client, req, conns, r.opts.Warmup)
	}
	r.markCPU()
	return ClosedLoop(ctx, client, req, conns, d)
}

// workflows runs the workflow scenarios through the gateway.
func (r *Runner) workflows(ctx context.Context) error {
	o := r.opts
	var flat WorkflowResult
	if o.wants("workflow") || o.wants("depth") {
		var err error
		if flat, err = r.workflowFlat(ctx); err != nil {
			return err
		}
	}
	if o.wants("ttft") {
		if err := r.workflowTTFT(ctx); err != nil {
			return err
		}
	}
	if o.wants("depth") && o.Depth > 1 {
		return r.workflowDepth(ctx, flat)
	}
	return nil
}

// workflowFlat measures the depth-1 workflow (reported when "workflow" is
// selected); its result is the baseline the depth scenario compares with.
func (r *Runner) workflowFlat(ctx context.Context) (WorkflowResult, error) {
	o := r.opts
	lat := o.SlowLatency
	if err := r.startGateway(ctx, 1, false); err != nil {
		return WorkflowResult{}, err
	}
	flat, cpu, rss, err := r.workflowRun(ctx, o.WorkflowConc, 1, o.WorkflowDuration)
	if err != nil {
		return flat, err
	}
	want, err := ExpectedCalls(r.dir, 1)
	if err != nil {
		return flat, err
	}
	if o.wants("workflow") {
		// The critical path is what the upstream itself took on the
		// request's chain of calls (its busy time, which includes the fake
		// upstream's timer overshoot); the engine must also keep the chain
		// at its ideal length, analyzer + slowest worker + selector +
		// synthesizer, by running the workers concurrently.
		w, busy := flat.Wall, flat.Busy
		stages := int(float64(busy.P50)/float64(lat) + 0.5)
		ideal := CriticalCalls(1)
		r.report.Add(Row{Key: "workflow", Scenario: fmt.Sprintf("workflow 3 workers %s, %d concurrent", lat, o.WorkflowConc), Summary: w, CPU: cpu, RSS: rss,
			Versus: fmt.Sprintf("critical path %d x %s: upstream busy p50 %s; %s; %s",
				stages, lat, ms(busy.P50), ownTime(flat), describeCalls(flat.Calls)) + r.connNote(),
			Verdict: verdict(stages <= ideal && flat.Overhead.P99 <= 5*time.Millisecond && w.Errors == 0 && w.Count > 0 &&
				exactCalls(flat.Calls, want), "target 4: p99 wall-critical path<=5ms, chain of %d calls, %d calls/req", ideal, want) +
				errNote(w)})
	}
	return flat, nil
}

// workflowTTFT measures the time to first token of workflow and
// passthrough streams.
func (r *Runner) workflowTTFT(ctx context.Context) error {
	o := r.opts
	if err := r.startGateway(ctx, 1, false); err != nil {
		return err
	}
	if err := r.ttft(ctx, fmt.Sprintf("workflow stream TTFT, %d concurrent", o.TTFTConc), WorkflowModel, r.slow, "target 4: TTFT<=synth first token+1ms (p99)"); err != nil {
		return err
	}
	// The same measurement on a passthrough stream separates the
	// adapters' relay delay from the workflow engine's.
	if err := r.ttft(ctx, fmt.Sprintf("passthrough stream TTFT, %d concurrent", o.TTFTConc), PassthroughModel, r.fast, ""); err != nil {
		return err
	}
	return nil
}

// workflowDepth measures nested plans and compares each level with the
// depth-1 run flat.
func (r *Runner) workflowDepth(ctx context.Context, flat WorkflowResult) error {
	o := r.opts
	lat := o.SlowLatency
	if err := r.startGateway(ctx, o.Depth, false); err != nil {
		return err
	}
	res, cpu, rss, err := r.workflowRun(ctx, o.DepthConc, o.Depth, o.DepthDuration)
	if err != nil {
		return err
	}
	want, err := ExpectedCalls(r.dir, o.Depth)
	if err != nil {
		return err
	}
	w := res.Wall
	// Expected: whole upstream latencies on the observed chain (the
	// engine decides whether nested plans call their analyzer again).
	stages := int(float64(res.Busy.P50)/float64(lat) + 0.5)
	levels := time.Duration(o.Depth - 1)
	perLevel := (w.P50 - flat.Wall.P50) / levels
	r.report.Add(Row{Key: "depth", Scenario: fmt.Sprintf("workflow depth %d (%d worker calls), %d concurrent", o.Depth, WorkerCalls(o.Depth), o.DepthConc), Summary: w, CPU: cpu, RSS: rss,
		Versus: fmt.Sprintf("critical path %d x %s: upstream busy p50 %s; each level adds %s (%.2f upstream latencies) vs depth 1; %s; %s",
			stages, lat, ms(res.Busy.P50), signedMS(perLevel), float64(perLevel)/float64(lat), ownTime(res), describeCalls(res.Calls)) + r.connNote(),
		Verdict: verdict(stages <= CriticalCalls(o.Depth) && res.Overhead.P99 <= time.Duration(o.Depth)*5*time.Millisecond &&
			w.Errors == 0 && w.Count > 0 && exactCalls(res.Calls, want),
			"target 4: p99 wall-critical path<=5ms per level, %d calls/req", want) + errNote(w)})
	return nil
}

// ttft measures a streamed request's first token through the gateway
// against the upstream's first chunk of the same request. An empty target
// makes the row informational.
func (r *Runner) ttft(ctx context.Context, name, model string, src FirstChunkSource, target string) error {
	o := r.opts
	client := NewClient(o.TTFTConc)
	defer client.CloseIdleConnections()
	url := r.gw.URL + "/v1/chat/completions"
	StreamTTFT(ctx, client, url, model, fakeupstream.MarkerPrefix, src, o.TTFTConc, o.Warmup)
	r.markCPU()
	res := StreamTTFT(ctx, client, url, model, fakeupstream.MarkerPrefix, src, o.TTFTConc, o.TTFTDuration)
	cpu, rss, _, err := r.gatewayUsage(res.TTFT.Count + res.TTFT.Errors)
	if err != nil {
		return err
	}
	rel := res.Relay
	row := Row{Key: "ttft", Scenario: name, Summary: res.TTFT, CPU: cpu, RSS: rss,
		Versus: fmt.Sprintf("after upstream 1st token: p50 %s p99 %s", signedMS(rel.P50), signedMS(rel.P99)) + r.connNote()}
	if target != "" {
		row.Verdict = verdict(rel.P99 <= time.Millisecond && rel.Errors == 0 && rel.Count > 0, "%s", target) + errNote(rel)
	}
	r.report.Add(row)
	return nil
}

// workflowRun measures conns concurrent non-streamed workflows for d after a
// warm-up, with the gateway's CPU and peak RSS over the measured part.
func (r *Runner) workflowRun(ctx context.Context, conns, depth int, d time.Duration) (WorkflowResult, string, string, error) {
	client := NewClient(conns)
	defer client.CloseIdleConnections()
	url := r.gw.URL + "/v1/chat/completions"
	stagger := time.Duration(CriticalCalls(depth)) * r.opts.SlowLatency
	if r.opts.Lockstep {
		stagger = 0
	}
	if r.opts.Warmup > 0 {
		WorkflowLoop(ctx, client, url, WorkflowModel, fakeupstream.MarkerPrefix, r.slow, conns, r.opts.Warmup, stagger)
	}
	r.markCPU()
	res := WorkflowLoop(ctx, client, url, WorkflowModel, fakeupstream.MarkerPrefix, r.slow, conns, d+stagger, stagger)
	cpu, rss, _, err := r.gatewayUsage(res.Wall.Count + res.Wall.Errors)
	return res, cpu, rss, err
}

// exactCalls reports whether the mean upstream calls per request is want:
// with no errors every request makes exactly the planned calls.
func exactCalls(mean float64, want int) bool {
	return math.Abs(mean-float64(want)) < 0.005
}

// errNote appends the first error of a run with errors.
func errNote(s Summary) string {
	if s.Errors == 0 {
		return ""
	}
	return fmt.Sprintf("; first error: %.160s", s.FirstError)
}
