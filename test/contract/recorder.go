package contract

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
)

// maxRecorded bounds what the Recorder keeps of one answer; a longer answer
// is not checked (and counted as skipped) rather than held in memory.
const maxRecorded = 32 << 20

// Recorder is an http.RoundTripper for test clients (raw HTTP, openai-go,
// the generated OpenAPI client) that checks every answer they read against
// the official documents with CheckAnswer, once its body is read to the end
// or closed. Tests read the problems found with Problems.
type Recorder struct {
	base http.RoundTripper

	mu       sync.Mutex
	problems []error
	checked  int
}

// NewRecorder wraps base (http.DefaultTransport when nil).
func NewRecorder(base http.RoundTripper) *Recorder {
	if base == nil {
		base = http.DefaultTransport
	}
	return &Recorder{base: base}
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	resp.Body = &recordedBody{
		ReadCloser: resp.Body,
		answer:     Answer{Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Header: resp.Header},
		done:       r.record,
	}
	return resp, nil
}

// CloseIdleConnections closes the wrapped transport's idle connections
// (http.Client.CloseIdleConnections reaches it through this method).
func (r *Recorder) CloseIdleConnections() {
	if c, ok := r.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// Problems returns every violation found so far (nil when none).
func (r *Recorder) Problems() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.problems...)
}

// Checked is the number of answers checked so far.
func (r *Recorder) Checked() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.checked
}

func (r *Recorder) record(a Answer, tooLong bool) {
	var err error
	if !tooLong {
		err = CheckAnswer(a)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !tooLong {
		r.checked++
	}
	if err != nil {
		r.problems = append(r.problems, err)
	}
}

// recordedBody keeps what the client reads and hands it over once.
type recordedBody struct {
	io.ReadCloser
	answer  Answer
	buf     bytes.Buffer
	tooLong bool
	once    sync.Once
	done    func(Answer, bool)
}

func (b *recordedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 && !b.tooLong {
		if b.buf.Len()+n > maxRecorded {
			b.tooLong = true
			b.buf.Reset()
		} else {
			b.buf.Write(p[:n])
		}
	}
	if errors.Is(err, io.EOF) {
		b.finish(true)
	}
	return n, err
}

func (b *recordedBody) Close() error {
	b.finish(false)
	return b.ReadCloser.Close()
}

func (b *recordedBody) finish(complete bool) {
	b.once.Do(func() {
		a := b.answer
		a.Body, a.Complete = b.buf.Bytes(), complete
		b.done(a, b.tooLong)
	})
}
