package fakeupstream

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Dialect writes one provider's wire format piece by piece, for tests that
// script an upstream's exact answer (a Start handler) rather than let a
// Server answer; a Server renders its answers with the same functions.
type Dialect interface {
	// Name names the provider in subtests.
	Name() string
	// Path is the request path the adapter must post to.
	Path() string
	// WriteJSON writes a whole non-streamed answer.
	WriteJSON(w http.ResponseWriter, a Answer)
	// StartStream writes the stream's headers.
	StartStream(w http.ResponseWriter)
	// WriteChunk writes and flushes one stream increment.
	WriteChunk(w http.ResponseWriter, a Answer)
	// WriteEnd writes the stream's final chunk(s) with finish reason and usage.
	WriteEnd(w http.ResponseWriter, a Answer)
	// WriteError writes an error body with status.
	WriteError(w http.ResponseWriter, status int, msg string)
	// WriteStreamError writes an error inside an open stream.
	WriteStreamError(w http.ResponseWriter, msg string)
}

// Stream writes a whole stream: every chunk, then the end.
func Stream(d Dialect, w http.ResponseWriter, chunks []Answer, end Answer) {
	d.StartStream(w)
	for _, c := range chunks {
		d.WriteChunk(w, c)
	}
	d.WriteEnd(w, end)
}

// Raw serves a fixed body with a content type.
func Raw(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = fmt.Fprint(w, body)
	}
}

// Cut closes the connection under a response mid-body, the way a dying
// upstream does: no terminating chunk, no [DONE], no final object.
func Cut(w http.ResponseWriter) {
	w.(http.Flusher).Flush()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	_ = conn.Close()
}

// Flush sends buffered output to the client.
func Flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// Deltas collects the deltas a stream emits.
type Deltas []domain.Delta

// Emit appends x; pass it as a stream's emit function.
func (d *Deltas) Emit(x domain.Delta) error { *d = append(*d, x); return nil }

// Text joins the collected deltas' text.
func (d Deltas) Text() string {
	var b strings.Builder
	for _, x := range d {
		b.WriteString(x.Text)
	}
	return b.String()
}
