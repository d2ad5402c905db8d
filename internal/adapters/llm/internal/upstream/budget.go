package upstream

import (
	"io"
	"time"
)

// budgetReader bounds one stream body in bytes and in total time: the
// stage's idle timeout restarts with every delta, so an endless valid
// stream (or a trickle of keep-alives) would otherwise never end.
type budgetReader struct {
	r        io.Reader
	left     int64
	max      int64
	deadline time.Time
	maxTime  time.Duration
	now      func() time.Time
}

// Budget wraps a stream body with the endpoint's byte and time limits,
// counted from start.
func (e *Endpoint) Budget(body io.Reader, start time.Time) io.Reader {
	l := e.opts.Limits.WithDefaults()
	return &budgetReader{r: body, left: l.MaxStreamBytes, max: l.MaxStreamBytes,
		deadline: start.Add(l.MaxStreamTime), maxTime: l.MaxStreamTime, now: time.Now}
}

// Read implements io.Reader; past either limit it returns a
// limit_exceeded error.
func (b *budgetReader) Read(p []byte) (int, error) {
	if b.now().After(b.deadline) {
		return 0, overLimit("stream duration", b.maxTime, "max_stream_secs")
	}
	if b.left <= 0 {
		return 0, overLimit("stream size", b.max, "max_stream_bytes")
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
