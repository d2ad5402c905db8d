package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// cacheHits measures answers served from the answer cache (issue 14): a
// gateway with [cache] enabled, one request that fills the entry (the only
// upstream call the scenario may make), then hits of that entry at the
// open-loop rate (latency, against the upstream's fixed latency) and over
// the closed-loop connections as streams (req/s; a streamed hit is one
// delta in the client's protocol).
func (r *Runner) cacheHits(ctx context.Context) error {
	o := r.opts
	if err := r.startGatewayWith(ctx, ConfigParams{Depth: 1, Cache: true}); err != nil {
		return err
	}
	id := r.fast.NextID()
	url := r.gw.URL + "/v1/chat/completions"
	body := markedChatBody(PassthroughModel, id, false)
	first, err := cacheHeader(ctx, url, body)
	if err != nil {
		return err
	}
	second, err := cacheHeader(ctx, url, body)
	if err != nil {
		return err
	}

	open, openUse, err := r.gatewayOpenLoop(ctx, Request{URL: url, Body: body})
	if err != nil {
		return err
	}
	stream := r.closed(ctx, Request{URL: url, Body: markedChatBody(PassthroughModel, id, true), Stream: true}, o.Conns, o.ClosedDuration)
	streamCPU, streamRSS, _, err := r.gatewayUsage(stream.Count + stream.Errors)
	if err != nil {
		return err
	}
	// Every request above carried the same marker: the upstream saw exactly
	// the one that filled the entry, or hits were not hits.
	calls := len(r.fast.TakeSpans(id))
	filled := first == "miss" && second == "hit" && calls == 1
	note := fmt.Sprintf("; X-Chorus-Cache %s then %s; %d upstream call(s) in all", first, second, calls)

	lat := o.FastLatency
	r.report.Add(Row{Key: "cache", Scenario: fmt.Sprintf("cache hit non-stream open %d/s", o.Rate), Summary: open, CPU: openUse.cpu, RSS: openUse.rss,
		Versus: fmt.Sprintf("upstream latency %s: p50 %.1f%% p99 %.1f%% of it", ms(lat), pctOf(open.P50, lat), pctOf(open.P99, lat)) + note,
		Verdict: verdict(filled && open.Errors == 0 && open.Count > 0 && open.P50 <= lat/10 && open.P99 < lat,
			"target 5: p50<=upstream/10 p99<upstream, 1 upstream call, 0 errors") + errNote(open)})
	r.report.Add(Row{Key: "cache", Scenario: fmt.Sprintf("cache hit stream closed %d conns", o.Conns), Summary: stream, CPU: streamCPU, RSS: streamRSS,
		Versus:  fmt.Sprintf("upstream first chunk after %s, %d chunks", ms(lat), o.Chunks) + note,
		Verdict: verdict(filled && stream.Errors == 0 && stream.Count > 0, "target 5: served from the cache, 0 errors") + errNote(stream)})
	return nil
}

// markedChatBody is chatBody whose user message carries the marker of id,
// so the upstream records every call made for it.
func markedChatBody(model string, id uint64, stream bool) []byte {
	b, _ := json.Marshal(map[string]any{
		"model":  model,
		"stream": stream,
		"messages": []map[string]string{{"role": "user",
			"content": "Say hello to the benchmark. " + fakeupstream.MarkerPrefix + strconv.FormatUint(id, 10)}},
	})
	return b
}

// cacheHeader sends body once and returns the answer's X-Chorus-Cache.
func cacheHeader(ctx context.Context, url string, body []byte) (string, error) {
	client := NewClient(1)
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := Request{URL: url, Body: body}.newHTTPRequest(ctx)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("cache scenario: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("cache scenario: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("cache scenario: status %d: %.200s", resp.StatusCode, b)
	}
	return resp.Header.Get("X-Chorus-Cache"), nil
}

// pctOf is d in percent of of (0 when of is 0).
func pctOf(d, of time.Duration) float64 {
	if of <= 0 {
		return 0
	}
	return 100 * float64(d) / float64(of)
}
