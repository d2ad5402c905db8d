package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// Request describes the HTTP request a load driver sends over and over.
type Request struct {
	URL  string
	Body []byte
	// Stream marks an SSE request: the whole body is read and must end with
	// "data: [DONE]".
	Stream bool
}

// newHTTPRequest builds one POST of r.
func (r Request) newHTTPRequest(ctx context.Context) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if r.Stream {
		req.Header.Set("Accept", "text/event-stream")
	}
	return req, nil
}

// NewClient returns an HTTP client whose keep-alive pool holds conns
// connections to one host.
func NewClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 2 * time.Minute,
		Transport: &http.Transport{
			MaxIdleConns:        conns * 2,
			MaxIdleConnsPerHost: conns * 2,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}
}

// ClosedLoop keeps conns requests in flight for d: each of conns workers
// sends r, reads the whole answer, and sends the next. It measures the
// maximum throughput the target sustains.
func ClosedLoop(ctx context.Context, client *http.Client, r Request, conns int, d time.Duration) Summary {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		all     []time.Duration
		errs    int
		errText string
	)
	start := time.Now()
	for range conns {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 1024)
			n, first := 0, ""
			buf := make([]byte, 0, 4096)
			for ctx.Err() == nil {
				t0 := time.Now()
				var err error
				buf, err = doOnce(ctx, client, r, buf[:0])
				if ctx.Err() != nil {
					break // the run ended mid-request: neither success nor error
				}
				if err != nil {
					n++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			errs += n
			if errText == "" {
				errText = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return Summarize(all, errs, errText, time.Since(start))
}

// doOnce sends r and reads the whole answer into buf, checking the status
// and, for streams, the final [DONE].
func doOnce(ctx context.Context, client *http.Client, r Request, buf []byte) ([]byte, error) {
	req, err := r.newHTTPRequest(ctx)
	if err != nil {
		return buf, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return buf, fmt.Errorf("send: %w", err)
	}
	defer resp.Body.Close()
	buf, err = readAll(resp.Body, buf)
	if err != nil {
		return buf, fmt.Errorf("read body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return buf, fmt.Errorf("status %d: %.200s", resp.StatusCode, buf)
	}
	if r.Stream && !bytes.HasSuffix(bytes.TrimRight(buf, "\n"), []byte("data: [DONE]")) {
		return buf, fmt.Errorf("stream did not end with [DONE]: %.200s", tail(buf, 200))
	}
	return buf, nil
}

// readAll appends everything from rd to buf.
func readAll(rd io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
