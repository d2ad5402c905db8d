package fakeupstream

import (
	"encoding/json"
	"net/http"
)

// Ollama writes the native /api/chat JSON and NDJSON.
type Ollama struct{}

// Name implements Dialect.
func (Ollama) Name() string { return "ollama" }

// Path implements Dialect.
func (Ollama) Path() string { return "/api/chat" }

// ollamaMessage renders an assistant message; tool arguments are objects.
func ollamaMessage(r Reply) map[string]any {
	msg := map[string]any{"role": "assistant", "content": r.Text}
	if r.Reasoning != "" {
		msg["thinking"] = r.Reasoning
	}
	if len(r.ToolCalls) > 0 {
		calls := make([]any, 0, len(r.ToolCalls))
		for _, tc := range r.ToolCalls {
			var args any = map[string]any{}
			if tc.Arguments != "" {
				_ = json.Unmarshal([]byte(tc.Arguments), &args)
			}
			calls = append(calls, map[string]any{"function": map[string]any{"name": tc.Name, "arguments": args}})
		}
		msg["tool_calls"] = calls
	}
	return msg
}

// final renders the done:true object.
func final(r Reply, msg map[string]any) map[string]any {
	reason := r.Finish
	if reason == "" {
		reason = "stop"
	}
	return map[string]any{"model": "fake", "created_at": "2024-01-01T00:00:00.000000001Z", "message": msg,
		"done": true, "done_reason": reason, "total_duration": 5000000, "load_duration": 1000,
		"prompt_eval_count": r.Usage.InputTokens, "prompt_eval_duration": 1000,
		"eval_count": r.Usage.OutputTokens, "eval_duration": 2000}
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
	line(w, map[string]any{"model": "fake", "created_at": "2024-01-01T00:00:00Z", "message": ollamaMessage(r), "done": false})
}

// WriteEnd implements Dialect.
func (Ollama) WriteEnd(w http.ResponseWriter, r Reply) {
	line(w, final(r, map[string]any{"role": "assistant", "content": ""}))
}

// WriteError implements Dialect.
func (Ollama) WriteError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": msg})
}

// WriteStreamError implements Dialect.
func (Ollama) WriteStreamError(w http.ResponseWriter, msg string) {
	line(w, map[string]any{"error": msg})
}
