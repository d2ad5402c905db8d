package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func listen(t *testing.T, c fakeupstream.Config) *fakeupstream.Server {
	t.Helper()
	c.Preencoded = true
	l := fakeupstream.New(c)
	t.Cleanup(l.Close)
	return l
}

func TestClosedLoopMeasuresSuccessfulRequests(t *testing.T) {
	loadTest(t) // 150 ms windows must hold requests
	l := listen(t, fakeupstream.Config{Latency: 2 * time.Millisecond, Chunks: 3})
	tests := []struct {
		name   string
		stream bool
	}{
		{"non-stream", false},
		{"stream read to [DONE]", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := Request{URL: l.OpenAIBase() + "/chat/completions", Body: chatBody("m", tt.stream), Stream: tt.stream}
			s := ClosedLoop(context.Background(), NewClient(4), req, 4, 150*time.Millisecond)
			require.Zero(t, s.Errors, s.FirstError)
			require.Positive(t, s.Count)
			require.GreaterOrEqual(t, s.P50, 2*time.Millisecond)
			require.Positive(t, s.RPS)
		})
	}
}

func TestClosedLoopCountsBadAnswersAsErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		stream  bool
		wantErr string
	}{
		{"a 500 status", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "down", http.StatusInternalServerError)
		}, false, "status 500"},
		{"a stream without [DONE]", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = w.Write([]byte("data: {}\n\n"))
		}, true, "[DONE]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			s := ClosedLoop(context.Background(), NewClient(2), Request{URL: srv.URL, Body: []byte("{}"), Stream: tt.stream}, 2, 50*time.Millisecond)
			require.Zero(t, s.Count)
			require.Positive(t, s.Errors)
			require.Contains(t, s.FirstError, tt.wantErr)
		})
	}
}

func TestOpenLoopSendsAtTheRequestedRate(t *testing.T) {
	loadTest(t) // a rate within ±10% in 250 ms
	l := listen(t, fakeupstream.Config{Latency: time.Millisecond})
	s := OpenLoop(context.Background(), Request{URL: l.OpenAIBase() + "/chat/completions", Body: chatBody("m", false)}, 200, 250*time.Millisecond)
	require.Zero(t, s.Errors, s.FirstError)
	require.InDelta(t, 50, s.Count, 5)
	require.GreaterOrEqual(t, s.P50, time.Millisecond)
}

func TestStreamTTFTMatchesClientAndUpstreamFirstTokens(t *testing.T) {
	l := listen(t, fakeupstream.Config{Latency: 2 * time.Millisecond, Chunks: 3})
	res := StreamTTFT(context.Background(), NewClient(2), l.OpenAIBase()+"/chat/completions", "m", fakeupstream.MarkerPrefix, l, 2, 100*time.Millisecond)
	require.Zero(t, res.Relay.Errors, res.Relay.FirstError)
	require.Positive(t, res.Relay.Count)
	require.Equal(t, res.TTFT.Count, res.Relay.Count)
	require.GreaterOrEqual(t, res.TTFT.P50, 2*time.Millisecond, "the first token comes after the upstream latency")
	require.Less(t, res.Relay.P50, res.TTFT.P50, "the relay delay excludes the upstream latency")
}

func TestWorkflowLoopSplitsWallIntoUpstreamAndOwnTime(t *testing.T) {
	loadTest(t) // a 150 ms window must finish requests: under CPU starvation it finished none
	l := listen(t, fakeupstream.Config{Latency: 3 * time.Millisecond})
	// A stand-in gateway: two sequential upstream calls per request.
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		for range 2 {
			resp, err := http.Post(l.OpenAIBase()+"/chat/completions", "application/json", bytes.NewReader(body))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			_ = resp.Body.Close()
		}
		_, _ = w.Write([]byte("{}"))
	}))
	defer gw.Close()

	res := WorkflowLoop(context.Background(), NewClient(2), gw.URL, "chorus", fakeupstream.MarkerPrefix, l, 2, 150*time.Millisecond, 10*time.Millisecond)
	require.Zero(t, res.Wall.Errors, res.Wall.FirstError)
	require.Positive(t, res.Wall.Count)
	require.InDelta(t, 2.0, res.Calls, 1e-9)
	require.GreaterOrEqual(t, res.Busy.P50, 6*time.Millisecond, "two sequential 3 ms calls")
	require.GreaterOrEqual(t, res.Wall.P50, res.Busy.P50)
	require.Equal(t, res.Wall.Count, res.LeadIn.Count)
	require.GreaterOrEqual(t, res.LeadIn.P50, time.Duration(0))
	require.GreaterOrEqual(t, res.Tail.P50, time.Duration(0))
}

func TestUnionMergesOverlappingSpans(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(msd(ms)) }
	spans := []fakeupstream.Span{
		{Start: at(0), End: at(100)},   // analyzer
		{Start: at(110), End: at(200)}, // worker 1
		{Start: at(105), End: at(210)}, // worker 2 (overlaps)
		{Start: at(150), End: at(160)}, // inside worker 2
		{Start: at(220), End: at(320)}, // selector
	}
	require.Equal(t, msd(100+105+100), union(spans))
	require.Zero(t, union(nil))
}

func TestConfigCallCounts(t *testing.T) {
	require.Equal(t, 4, CriticalCalls(1))
	require.Equal(t, 3, WorkerCalls(1))
	require.Equal(t, 12, WorkerCalls(3))
}
