package fakeupstream

import (
	"encoding/json"
	"net/http"

	wire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
)

// Ollama writes the native /api/chat JSON and NDJSON.
type Ollama struct{}

// Name implements Dialect.
func (Ollama) Name() string { return "ollama" }

// Path implements Dialect.
func (Ollama) Path() string { return "/api/chat" }

// ollamaMessage renders an assistant message; tool arguments are objects.
func ollamaMessage(r Reply) *wire.Message {
	msg := &wire.Message{Role: "assistant", Content: r.Text, Thinking: r.Reasoning}
	for _, tc := range r.ToolCalls {
		args := json.RawMessage(`{}`)
		if tc.Arguments != "" && json.Valid([]byte(tc.Arguments)) {
			args = json.RawMessage(tc.Arguments)
		}
		msg.ToolCalls = append(msg.ToolCalls, wire.ToolCall{Function: wire.Function{Name: tc.Name, Arguments: args}})
	}
	return msg
}

// final renders the done:true object.
func final(r Reply, msg *wire.Message) wire.Chunk {
	reason := r.Finish
	if reason == "" {
		reason = "stop"
	}
	return wire.Chunk{Model: "fake", CreatedAt: "2024-01-01T00:00:00.000000001Z", Message: msg, Done: true,
		Stats: &wire.Stats{DoneReason: reason, TotalDuration: 5000000, LoadDuration: 1000,
			PromptEvalCount: r.Usage.InputTokens, PromptEvalDuration: 1000, EvalCount: r.Usage.OutputTokens, EvalDuration: 2000}}
}

// line writes one NDJSON object.
func line(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	_, _ = w.Write(append(b, '\n'))
	Flush(w)
}

// WriteJSON implements Dialect.
func (Ollama) WriteJSON(w http.ResponseWriter, r Reply) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, _ := json.Marshal(final(r, ollamaMessage(r)))
	_, _ = w.Write(b)
}

// StartStream implements Dialect.
func (Ollama) StartStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	Flush(w)
}

// WriteChunk implements Dialect.
func (Ollama) WriteChunk(w http.ResponseWriter, r Reply) {
	line(w, wire.Chunk{Model: "fake", CreatedAt: "2024-01-01T00:00:00Z", Message: ollamaMessage(r)})
}

// WriteEnd implements Dialect.
func (Ollama) WriteEnd(w http.ResponseWriter, r Reply) {
	line(w, final(r, &wire.Message{Role: "assistant"}))
}

// WriteError implements Dialect.
func (Ollama) WriteError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(wire.Error{Error: msg})
}

// WriteStreamError implements Dialect.
func (Ollama) WriteStreamError(w http.ResponseWriter, msg string) {
	line(w, wire.Error{Error: msg})
}
