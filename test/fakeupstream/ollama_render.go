package fakeupstream

import (
	"encoding/json"
	"net/http"

	wire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
)

// fixedCreatedAt is the created_at of a Dialect's answers.
const fixedCreatedAt = "2024-01-01T00:00:00.000000001Z"

// ollamaMessage renders an assistant message with content; tool arguments
// are the JSON object Ollama uses, malformed ones (a scripted fault) a
// string.
func ollamaMessage(content string, a Answer) *wire.Message {
	msg := &wire.Message{Role: "assistant", Content: content, Thinking: a.Reasoning}
	for _, c := range a.Calls {
		msg.ToolCalls = append(msg.ToolCalls, wire.ToolCall{Function: wire.Function{Name: c.Name, Arguments: ollamaArgs(c.Args)}})
	}
	return msg
}

func ollamaArgs(args string) json.RawMessage {
	if args == "" {
		return json.RawMessage(`{}`)
	}
	if json.Valid([]byte(args)) {
		return json.RawMessage(args)
	}
	b, _ := json.Marshal(args) // marshaling a string cannot fail
	return b
}

// ollamaFinal renders the done:true object.
func ollamaFinal(model, createdAt string, a Answer, msg *wire.Message) wire.Chunk {
	reason := a.Finish
	if reason == "" || reason == "tool_calls" {
		reason = "stop" // Ollama ends tool answers with stop
	}
	return wire.Chunk{Model: model, CreatedAt: createdAt, Message: msg, Done: true, Stats: &wire.Stats{
		DoneReason: reason, TotalDuration: 1_000_000, LoadDuration: 1000, PromptEvalCount: a.PromptTok,
		PromptEvalDuration: 100_000, EvalCount: a.OutputTok, EvalDuration: 900_000,
	}}
}

// ndjson writes and flushes one NDJSON object; false when the client is gone.
func ndjson(w http.ResponseWriter, v any) bool {
	b, _ := json.Marshal(v) // the wire types always marshal
	if _, err := w.Write(append(b, '\n')); err != nil {
		return false
	}
	Flush(w)
	return true
}

// startNDJSON writes an NDJSON stream's headers.
func startNDJSON(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
}

// Ollama writes the native /api/chat JSON and NDJSON (a Dialect).
type Ollama struct{}

// Name implements Dialect.
func (Ollama) Name() string { return "ollama" }

// Path implements Dialect.
func (Ollama) Path() string { return "/api/chat" }

// WriteJSON implements Dialect.
func (Ollama) WriteJSON(w http.ResponseWriter, a Answer) {
	writeJSON(w, http.StatusOK, ollamaFinal("fake", fixedCreatedAt, a, ollamaMessage(a.Text, a)))
}

// StartStream implements Dialect.
func (Ollama) StartStream(w http.ResponseWriter) {
	startNDJSON(w)
	Flush(w)
}

// WriteChunk implements Dialect.
func (Ollama) WriteChunk(w http.ResponseWriter, a Answer) {
	_ = ndjson(w, wire.Chunk{Model: "fake", CreatedAt: fixedCreatedAt, Message: ollamaMessage(a.Text, a)})
}

// WriteEnd implements Dialect.
func (Ollama) WriteEnd(w http.ResponseWriter, a Answer) {
	_ = ndjson(w, ollamaFinal("fake", fixedCreatedAt, a, &wire.Message{Role: "assistant"}))
}

// WriteError implements Dialect.
func (Ollama) WriteError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, wire.Error{Error: msg})
}

// WriteStreamError implements Dialect.
func (Ollama) WriteStreamError(w http.ResponseWriter, msg string) {
	_ = ndjson(w, wire.Error{Error: msg})
}
