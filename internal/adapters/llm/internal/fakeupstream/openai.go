package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// OpenAI writes Chat Completions JSON and SSE.
type OpenAI struct{}

// Name implements Dialect.
func (OpenAI) Name() string { return "openai" }

// Path implements Dialect.
func (OpenAI) Path() string { return "/v1/chat/completions" }

// openAICalls renders tool calls; stream fragments carry their index.
func openAICalls(r Reply) []map[string]any {
	calls := make([]map[string]any, 0, len(r.ToolCalls))
	for _, tc := range r.ToolCalls {
		fn := map[string]any{"arguments": tc.Arguments}
		if tc.Name != "" {
			fn["name"] = tc.Name
		}
		c := map[string]any{"index": tc.Index, "function": fn}
		if tc.ID != "" {
			c["id"], c["type"] = tc.ID, "function"
		}
		calls = append(calls, c)
	}
	return calls
}

// WriteJSON implements Dialect.
func (OpenAI) WriteJSON(w http.ResponseWriter, r Reply) {
	msg := map[string]any{"role": "assistant", "content": r.Text}
	if r.Reasoning != "" {
		msg["reasoning_content"] = r.Reasoning
	}
	if len(r.ToolCalls) > 0 {
		msg["tool_calls"] = openAICalls(r)
	}
	finish := r.Finish
	switch {
	case finish == "" && len(r.ToolCalls) > 0:
		finish = "tool_calls"
	case finish == "":
		finish = "stop"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "fake",
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
		"usage": map[string]any{"prompt_tokens": r.Usage.InputTokens, "completion_tokens": r.Usage.OutputTokens,
			"total_tokens": r.Usage.Total()},
	})
}

// StartStream implements Dialect.
func (OpenAI) StartStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(w, ": keep-alive\n\n")
	Flush(w)
}

// sse writes one data event.
func sse(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	_, _ = fmt.Fprintf(w, "data: %s\n\n", b)
	Flush(w)
}

// WriteChunk implements Dialect.
func (OpenAI) WriteChunk(w http.ResponseWriter, r Reply) {
	delta := map[string]any{}
	if r.Text != "" {
		delta["content"] = r.Text
	}
	if r.Reasoning != "" {
		delta["reasoning_content"] = r.Reasoning
	}
	if len(r.ToolCalls) > 0 {
		delta["tool_calls"] = openAICalls(r)
	}
	sse(w, map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000,
		"model": "fake", "choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": nil}}})
}

// WriteEnd implements Dialect: a finish chunk, a usage-only chunk with
// "choices": [], then [DONE].
func (OpenAI) WriteEnd(w http.ResponseWriter, r Reply) {
	finish := r.Finish
	if finish == "" {
		finish = "stop"
	}
	sse(w, map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "fake",
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": finish}}})
	_, _ = fmt.Fprint(w, ": keep-alive\r\n\r\n")
	sse(w, map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "fake",
		"choices": []any{}, "usage": map[string]any{"prompt_tokens": r.Usage.InputTokens,
			"completion_tokens": r.Usage.OutputTokens, "total_tokens": r.Usage.Total()}})
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	Flush(w)
}

// WriteError implements Dialect.
func (OpenAI) WriteError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": "invalid_request_error", "param": nil, "code": nil}})
}

// WriteStreamError implements Dialect.
func (OpenAI) WriteStreamError(w http.ResponseWriter, msg string) {
	sse(w, map[string]any{"error": map[string]any{"message": msg, "type": "server_error"}})
}
