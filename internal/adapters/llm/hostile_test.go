package llm_test

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/adapters/llm/ollama"
	"github.com/chorus-ai/chorus/internal/adapters/llm/openai"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// hostileSize is how much a hostile upstream would send: far beyond every
// limit under test, yet finite, so a reader without limits makes the
// allocation check fail instead of hanging the test.
const hostileSize = 64 << 20

// repeatReader yields unit over and over, left bytes in all.
type repeatReader struct {
	unit []byte
	off  int
	left int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		c := min(copy(p[n:], r.unit[r.off:]), int(min(r.left, int64(len(p)-n))))
		n += c
		r.left -= int64(c)
		r.off = (r.off + c) % len(r.unit)
	}
	return n, nil
}

// hostile is an upstream answering every request with 200, contentType
// and a body of prefix followed by unit repeated up to hostileSize bytes.
func hostile(contentType, prefix, unit string) *http.Client {
	return &http.Client{Transport: roundTrip(func(*http.Request) (*http.Response, error) {
		body := io.MultiReader(strings.NewReader(prefix), &repeatReader{unit: []byte(unit), left: hostileSize})
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {contentType}},
			Body: io.NopCloser(body)}, nil
	})}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// smallLimits make every limit small enough to reach fast; one test raises
// the limit it does not test out of the way.
var smallLimits = llm.StreamLimits{MaxEventBytes: 64 << 10, MaxAnswerBytes: 256 << 10,
	MaxStreamBytes: 1 << 20, MaxStreamTime: time.Hour}

func hostileModel(dialect string, client *http.Client, limits llm.StreamLimits) ports.ChatModel {
	opts := llm.UpstreamOptions{HTTPClient: client, Limits: limits, MaxRetries: -1}
	if dialect == domain.ProviderOllama {
		return ollama.New(domain.ModelSpec{Name: "hostile", Provider: dialect, APIBase: "http://upstream.invalid"}, opts)
	}
	return openai.New(domain.ModelSpec{Name: "hostile", Provider: dialect, APIBase: "http://upstream.invalid/v1"}, opts)
}

const (
	sseType    = "text/event-stream"
	ndjsonType = "application/x-ndjson"
	sseDelta   = `data: {"choices":[{"index":0,"delta":{"content":"` + "0123456789abcdef" + `"}}]}` + "\n\n"
	ndDelta    = `{"message":{"role":"assistant","content":"0123456789abcdef"},"done":false}` + "\n"
)

// Not parallel: the allocation count must be this test's alone.
func TestHostileStreams_are_cut_at_their_limit_with_bounded_memory(t *testing.T) {
	noStreamCap := raise(smallLimits, func(l *llm.StreamLimits) { l.MaxStreamBytes = hostileSize * 2 })
	cases := []struct {
		name    string
		dialect string
		client  *http.Client
		limits  llm.StreamLimits
		key     string
	}{
		{"an SSE data line that never ends", domain.ProviderOpenAI, hostile(sseType, "data: ", "x"), noStreamCap, "max_event_bytes"},
		{"an SSE event that never gets its blank line", domain.ProviderOpenAI,
			hostile(sseType, "", `data: {"choices":[]}`+"\n"), noStreamCap, "max_event_bytes"},
		{"an endless valid SSE stream", domain.ProviderOpenAI, hostile(sseType, "", sseDelta), noStreamCap, "max_answer_bytes"},
		{"endless SSE comments", domain.ProviderOpenAI, hostile(sseType, "", ": ping\n\n"), smallLimits, "max_stream_bytes"},
		{"an NDJSON line that never ends", domain.ProviderOllama, hostile(ndjsonType, `{"message":{"content":"`, "x"),
			noStreamCap, "max_event_bytes"},
		{"an endless valid NDJSON stream", domain.ProviderOllama, hostile(ndjsonType, "", ndDelta), noStreamCap, "max_answer_bytes"},
		{"endless empty NDJSON objects", domain.ProviderOllama, hostile(ndjsonType, "", `{"done":false}`+"\n"),
			smallLimits, "max_stream_bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := hostileModel(tc.dialect, tc.client, tc.limits)
			deltas := 0
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := m.Stream(t.Context(), userCall("hostile", "hi"), func(domain.Delta) error { deltas++; return nil })
			runtime.ReadMemStats(&after)

			lerr := requireLLMError(t, err, domain.LLMLimit, "hostile")
			require.Contains(t, lerr.Message, "upstream."+tc.key)
			require.ErrorIs(t, err, domain.ErrUpstream, "a limit is an upstream failure (502, the stream's error event)")
			allocated := after.TotalAlloc - before.TotalAlloc
			require.Less(t, allocated, uint64(16<<20), "allocated %d bytes for a %d-byte hostile stream", allocated, hostileSize)
		})
	}
}

func TestHostileStreams_an_endless_slow_stream_ends_at_the_total_stream_time(t *testing.T) {
	t.Parallel()
	for _, dialect := range []string{domain.ProviderOpenAI, domain.ProviderOllama} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ct, unit := sseType, sseDelta
				if dialect == domain.ProviderOllama {
					ct, unit = ndjsonType, ndDelta
				}
				// One delta a second: each would re-arm an idle timeout forever.
				client := &http.Client{Transport: roundTrip(func(*http.Request) (*http.Response, error) {
					return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {ct}},
						Body: io.NopCloser(&slowReader{unit: []byte(unit), every: time.Second})}, nil
				})}
				limits := raise(smallLimits, func(l *llm.StreamLimits) { l.MaxStreamTime = time.Minute })
				start := time.Now()
				_, err := hostileModel(dialect, client, limits).Stream(t.Context(), userCall("hostile", "hi"),
					func(domain.Delta) error { return nil })
				lerr := requireLLMError(t, err, domain.LLMLimit, "hostile")
				require.Contains(t, lerr.Message, "upstream.max_stream_secs")
				require.InDelta(t, time.Minute.Seconds(), time.Since(start).Seconds(), 2)
			})
		})
	}
}

func raise(l llm.StreamLimits, edit func(*llm.StreamLimits)) llm.StreamLimits { edit(&l); return l }

// slowReader yields one unit per interval, forever.
type slowReader struct {
	unit  []byte
	every time.Duration
	buf   bytes.Reader
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.buf.Len() == 0 {
		time.Sleep(r.every) // fake time inside the synctest bubble
		r.buf.Reset(r.unit)
	}
	return r.buf.Read(p)
}
