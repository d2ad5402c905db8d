package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// SpanSource returns the upstream calls recorded for a marked request
// (fakeupstream.Server does, pre-encoded).
type SpanSource interface {
	TakeSpans(id uint64) []fakeupstream.Span
	NextID() uint64
}

// WorkflowResult is the outcome of a workflow run.
type WorkflowResult struct {
	// Wall is the client's wall time per workflow request.
	Wall Summary
	// Busy is, per request, the time during which at least one of its
	// upstream calls was in progress: the critical path the upstream
	// imposed, whatever the engine's structure.
	Busy Summary
	// Overhead is, per request, Wall minus Busy: the gateway's own time.
	Overhead Summary
	// LeadIn is, per request, the time from sending it to the start of its
	// first upstream call; Tail from the end of its last upstream call to
	// the whole answer read; Between the rest of Overhead (the gaps between
	// stages, where the gateway prepares the next call).
	LeadIn, Between, Tail Summary
	// Calls is the mean number of upstream calls per request.
	Calls float64
}

// WorkflowLoop keeps conns non-streamed workflow requests in flight for d.
// Each request carries a unique marker (markerPrefix + n) so the upstream's
// record of its calls can be matched with it. With stagger > 0 the conns
// clients start spread evenly over stagger, so that (with a stagger of one
// workflow's duration) their stages do not run in lockstep; with 0 they all
// start at once and stay synchronised, the worst case for bursts.
func WorkflowLoop(ctx context.Context, client *http.Client, url, model, markerPrefix string, src SpanSource, conns int, d, stagger time.Duration) WorkflowResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	var samples workflowSamples
	start := time.Now()
	for i := range conns {
		wg.Go(func() {
			if !fakeupstream.Wait(ctx, stagger*time.Duration(i)/time.Duration(conns)) {
				return
			}
			buf := make([]byte, 0, 4096)
			for ctx.Err() == nil {
				id := src.NextID()
				body := []byte(`{"model":` + strconv.Quote(model) + `,"messages":[{"role":"user","content":"Compare two sorting algorithms. ` +
					markerPrefix + strconv.FormatUint(id, 10) + `"}]}`)
				t0 := time.Now()
				var err error
				buf, err = doOnce(ctx, client, Request{URL: url, Body: body}, buf[:0])
				t1 := time.Now()
				spans := src.TakeSpans(id)
				if ctx.Err() != nil {
					return
				}
				if err == nil && len(spans) == 0 {
					err = errors.New("the upstream saw no call carrying the request's marker")
				}
				samples.record(t0, t1, spans, err)
			}
		})
	}
	wg.Wait()
	return samples.result(time.Since(start))
}

// workflowSamples collects, from all clients of a WorkflowLoop, each
// request's wall time split into upstream and gateway time.
type workflowSamples struct {
	mu                sync.Mutex
	wall, busy, over  []time.Duration
	lead, gaps, tails []time.Duration
	calls, errs       int
	firstErr          string
}

// record adds one request sent at t0 and read by t1, with the upstream
// calls it made.
func (s *workflowSamples) record(t0, t1 time.Time, spans []fakeupstream.Span, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs++
		if s.firstErr == "" {
			s.firstErr = err.Error()
		}
		return
	}
	w := t1.Sub(t0)
	b := union(spans)
	first, last := bounds(spans)
	l, tl := first.Sub(t0), t1.Sub(last)
	s.wall, s.busy, s.over = append(s.wall, w), append(s.busy, b), append(s.over, w-b)
	s.lead, s.tails, s.gaps = append(s.lead, l), append(s.tails, tl), append(s.gaps, w-b-l-tl)
	s.calls += len(spans)
}

// result summarises the samples of a run that took elapsed.
func (s *workflowSamples) result(elapsed time.Duration) WorkflowResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := func(d []time.Duration) Summary { return Summarize(d, s.errs, s.firstErr, elapsed) }
	res := WorkflowResult{
		Wall: sum(s.wall), Busy: sum(s.busy), Overhead: sum(s.over),
		LeadIn: sum(s.lead), Between: sum(s.gaps), Tail: sum(s.tails),
	}
	if n := res.Wall.Count; n > 0 {
		res.Calls = float64(s.calls) / float64(n)
	}
	return res
}

// union is the total length covered by the spans.
func union(spans []fakeupstream.Span) time.Duration {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b fakeupstream.Span) int { return a.Start.Compare(b.Start) })
	var total time.Duration
	var curStart, curEnd time.Time
	for i, sp := range s {
		switch {
		case i == 0:
			curStart, curEnd = sp.Start, sp.End
		case sp.Start.After(curEnd):
			total += curEnd.Sub(curStart)
			curStart, curEnd = sp.Start, sp.End
		case sp.End.After(curEnd):
			curEnd = sp.End
		}
	}
	if len(s) > 0 {
		total += curEnd.Sub(curStart)
	}
	return total
}

// bounds returns the earliest start and the latest end of spans.
func bounds(spans []fakeupstream.Span) (first, last time.Time) {
	for i, sp := range spans {
		if i == 0 || sp.Start.Before(first) {
			first = sp.Start
		}
		if i == 0 || sp.End.After(last) {
			last = sp.End
		}
	}
	return first, last
}

// ownTime formats where a workflow's own (non-upstream) time went.
func ownTime(r WorkflowResult) string {
	return fmt.Sprintf("gateway own time p50 %s p99 %s (p50 lead-in %s, between stages %s, tail %s)",
		ms(r.Overhead.P50), ms(r.Overhead.P99), ms(r.LeadIn.P50), ms(r.Between.P50), ms(r.Tail.P50))
}

// describeCalls formats the mean calls per request.
func describeCalls(c float64) string {
	return fmt.Sprintf("%.1f upstream calls/req", c)
}
