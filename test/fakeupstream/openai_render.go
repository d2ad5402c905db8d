package fakeupstream

import (
	"encoding/json"
	"net/http"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// openAIHead is what every chat.completion(.chunk) of one answer repeats.
type openAIHead struct {
	id      string
	created int64
	model   string
}

// fixedHead is the head of a Dialect's answers.
var fixedHead = openAIHead{id: "chatcmpl-1", created: 1700000000, model: "fake"}

// openAIUsage counts an answer's tokens.
func openAIUsage(a Answer) openaiwire.Usage {
	return openaiwire.Usage{PromptTokens: a.PromptTok, CompletionTokens: a.OutputTok, TotalTokens: a.PromptTok + a.OutputTok}
}

// openAICalls renders tool calls; stream fragments carry their index, and
// id, type and name only in the first fragment of a call.
func openAICalls(calls []Call, fragments bool) []openaiwire.ToolCall {
	out := make([]openaiwire.ToolCall, 0, len(calls))
	for _, c := range calls {
		tc := openaiwire.ToolCall{ID: c.ID, Function: openaiwire.FunctionCall{Name: c.Name, Arguments: openaiwire.Args(c.Args)}}
		if c.ID != "" || c.Name != "" || !fragments {
			tc.Type = "function"
		}
		if fragments {
			idx := c.Index
			tc.Index = &idx
		}
		out = append(out, tc)
	}
	return out
}

// openAICompletion renders a whole answer as a chat.completion; content is
// null when the answer only calls tools.
func openAICompletion(h openAIHead, a Answer) openaiwire.ChatCompletion {
	msg := openaiwire.ChatMessage{Role: "assistant", Content: openaiwire.TextOf(&a.Text),
		Reasoning: openaiwire.Reasoning{ReasoningContent: openaiwire.Text(a.Reasoning)}}
	if len(a.Calls) > 0 {
		msg.ToolCalls = openAICalls(a.Calls, false)
		if a.Text == "" {
			msg.Content = nil
		}
	}
	usage := openAIUsage(a)
	return openaiwire.ChatCompletion{ID: h.id, Object: "chat.completion", Created: h.created, Model: h.model,
		Choices: []openaiwire.ChatChoice{{Message: msg, FinishReason: a.finish()}}, Usage: &usage}
}

// openAIChunk renders one chat.completion.chunk with a single choice.
func openAIChunk(h openAIHead, d openaiwire.Delta, finish *string) openaiwire.Chunk {
	return openaiwire.Chunk{ID: h.id, Object: "chat.completion.chunk", Created: h.created, Model: h.model,
		Choices: []openaiwire.ChunkChoice{{Delta: d, FinishReason: finish}}}
}

// openAIDelta renders a piece of an answer (text, reasoning, call fragments).
func openAIDelta(a Answer) openaiwire.Delta {
	d := openaiwire.Delta{Reasoning: openaiwire.Reasoning{ReasoningContent: openaiwire.Text(a.Reasoning)}}
	if a.Text != "" {
		d.Content = openaiwire.TextOf(&a.Text)
	}
	if len(a.Calls) > 0 {
		d.ToolCalls = openAICalls(a.Calls, true)
	}
	return d
}

// openAIUsageChunk renders the usage-only chunk ("choices": []).
func openAIUsageChunk(h openAIHead, a Answer) openaiwire.Chunk {
	return openaiwire.Chunk{ID: h.id, Object: "chat.completion.chunk", Created: h.created, Model: h.model,
		Choices: []openaiwire.ChunkChoice{}, Usage: openaiwire.UsageCounts(openAIUsage(a))}
}

// openAIError renders OpenAI's error body.
func openAIError(typ, msg string) openaiwire.ErrorBody {
	return openaiwire.ErrorBody{Error: openaiwire.Error{Message: msg, Type: typ, Code: typ}}
}

// OpenAI writes Chat Completions JSON and SSE (a Dialect).
type OpenAI struct{}

// Name implements Dialect.
func (OpenAI) Name() string { return "openai" }

// Path implements Dialect.
func (OpenAI) Path() string { return "/v1/chat/completions" }

// WriteJSON implements Dialect.
func (OpenAI) WriteJSON(w http.ResponseWriter, a Answer) {
	writeJSON(w, http.StatusOK, openAICompletion(fixedHead, a))
}

// StartStream implements Dialect; the comment line is what proxies send.
func (OpenAI) StartStream(w http.ResponseWriter) {
	startSSE(w)
	_, _ = w.Write([]byte(": keep-alive\n\n"))
	Flush(w)
}

// WriteChunk implements Dialect.
func (OpenAI) WriteChunk(w http.ResponseWriter, a Answer) {
	_ = sse(w, openAIChunk(fixedHead, openAIDelta(a), nil))
}

// WriteEnd implements Dialect: a finish chunk, a comment, a usage-only
// chunk, then [DONE].
func (OpenAI) WriteEnd(w http.ResponseWriter, a Answer) {
	finish := a.Finish
	if finish == "" {
		finish = "stop"
	}
	_ = sse(w, openAIChunk(fixedHead, openaiwire.Delta{}, &finish))
	_, _ = w.Write([]byte(": keep-alive\r\n\r\n"))
	_ = sse(w, openAIUsageChunk(fixedHead, a))
	_ = done(w)
}

// WriteError implements Dialect.
func (OpenAI) WriteError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, openAIError("invalid_request_error", msg))
}

// WriteStreamError implements Dialect.
func (OpenAI) WriteStreamError(w http.ResponseWriter, msg string) {
	_ = sse(w, openAIError("server_error", msg))
}

// startSSE writes an event stream's headers.
func startSSE(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
}

// sse writes and flushes one data event; false when the client is gone.
func sse(w http.ResponseWriter, v any) bool {
	b, _ := json.Marshal(v) // the wire types always marshal
	if _, err := w.Write(append(append([]byte("data: "), b...), '\n', '\n')); err != nil {
		return false
	}
	Flush(w)
	return true
}

// done ends an OpenAI stream.
func done(w http.ResponseWriter) bool {
	_, err := w.Write([]byte("data: [DONE]\n\n"))
	Flush(w)
	return err == nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"marshal"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
