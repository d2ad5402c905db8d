package fakeupstream

import (
	"net/http"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Reply is what a fake upstream answers.
type Reply struct {
	Text      string
	Reasoning string
	ToolCalls []domain.ToolCall
	Finish    string
	Usage     domain.Usage
}

// Dialect writes one provider's wire format.
type Dialect interface {
	// Name names the provider in subtests.
	Name() string
	// Path is the request path the adapter must post to.
	Path() string
	// WriteJSON writes a whole non-streamed answer.
	WriteJSON(w http.ResponseWriter, r Reply)
	// StartStream writes the stream's headers.
	StartStream(w http.ResponseWriter)
	// WriteChunk writes and flushes one stream increment.
	WriteChunk(w http.ResponseWriter, r Reply)
	// WriteEnd writes the stream's final chunk(s) with finish reason and usage.
	WriteEnd(w http.ResponseWriter, r Reply)
	// WriteError writes an error body with status.
	WriteError(w http.ResponseWriter, status int, msg string)
	// WriteStreamError writes an error inside an open stream.
	WriteStreamError(w http.ResponseWriter, msg string)
}

// Stream writes a whole stream: every chunk, then the end.
func Stream(d Dialect, w http.ResponseWriter, chunks []Reply, end Reply) {
	d.StartStream(w)
	for _, c := range chunks {
		d.WriteChunk(w, c)
	}
	d.WriteEnd(w, end)
}
