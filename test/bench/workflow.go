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

	"github.com/chorus-ai/chorus/test/bench/upstream"
)

// SpanSource returns the upstream calls recorded for a marked request
// (upstream.Server does).
type SpanSource interface {
	TakeSpans(id uint64) []upstream.Span
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
	// Calls is the mean number of upstream calls per request.
	Calls float64
}

// WorkflowLoop keeps conns non-streamed workflow requests in flight for d.
// Each request carries a unique marker (markerPrefix + n) so the upstream's
// record of its calls can be matched with it.
func WorkflowLoop(ctx context.Context, client *http.Client, url, model, markerPrefix string, src SpanSource, conns int, d time.Duration) WorkflowResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg               sync.WaitGroup
		mu               sync.Mutex
		wall, busy, over []time.Duration
		calls, errs      int
		firstErr         string
	)
	start := time.Now()
	for range conns {
		wg.Go(func() {
			buf := make([]byte, 0, 4096)
			for ctx.Err() == nil {
				id := src.NextID()
				body := []byte(`{"model":` + strconv.Quote(model) + `,"messages":[{"role":"user","content":"Compare two sorting algorithms. ` +
					markerPrefix + strconv.FormatUint(id, 10) + `"}]}`)
				t0 := time.Now()
				var err error
				buf, err = doOnce(ctx, client, Request{URL: url, Body: body}, buf[:0])
				w := time.Since(t0)
				spans := src.TakeSpans(id)
				if ctx.Err() != nil {
					return
				}
				if err == nil && len(spans) == 0 {
					err = errors.New("the upstream saw no call carrying the request's marker")
				}
				mu.Lock()
				if err != nil {
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
				} else {
					b := union(spans)
					wall, busy, over = append(wall, w), append(busy, b), append(over, w-b)
					calls += len(spans)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := WorkflowResult{
		Wall:     Summarize(wall, errs, firstErr, elapsed),
		Busy:     Summarize(busy, errs, firstErr, elapsed),
		Overhead: Summarize(over, errs, firstErr, elapsed),
	}
	if n := res.Wall.Count; n > 0 {
		res.Calls = float64(calls) / float64(n)
	}
	return res
}

// union is the total length covered by the spans.
func union(spans []upstream.Span) time.Duration {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b upstream.Span) int { return a.Start.Compare(b.Start) })
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

// describeCalls formats the mean calls per request.
func describeCalls(c float64) string {
	return fmt.Sprintf("%.1f upstream calls/req", c)
}
