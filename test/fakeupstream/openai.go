package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// openAIDialect is how OpenAI's Chat Completions fails.
var openAIDialect = dialect{
	err500: func(w http.ResponseWriter) {
		writeOpenAIError(w, http.StatusInternalServerError, "server_error", "injected upstream failure")
	},
	err401: func(w http.ResponseWriter) {
		writeOpenAIError(w, http.StatusUnauthorized, "authentication_error", "invalid api key")
	},
	truncated: `{"choices": [{"message": {"content": "trunc`,
	cut:       `{"id":"chatcmpl-cut","choices":[{"index":0,"message":{"role":"assistant","content":"cut`,
}

func (s *Server) handleOpenAI(w http.ResponseWriter, r *http.Request) bool {
	var in openaiwire.ChatRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeOpenAIError(w, http.StatusBadRequest, "invalid_request_error", "bad JSON: "+err.Error())
		return true
	}
	req := Request{
		Protocol: ProtocolOpenAI, Path: r.URL.Path, Model: in.Model,
		Messages: convertOpenAIMessages(in.Messages), Temperature: in.Temperature, TopP: in.TopP,
		MaxTokens: in.MaxTokens, Stream: in.Stream, Tools: toolNames(in.Tools),
		ToolChoice: in.ToolChoice, ParallelToolCalls: in.ParallelToolCalls, ResponseFormat: in.ResponseFormat,
		Auth: r.Header.Get("Authorization"),
	}
	if req.MaxTokens == nil {
		req.MaxTokens = in.MaxCompletionTokens
	}
	if in.StreamOptions != nil {
		req.IncludeUsage = in.StreamOptions.IncludeUsage
	}
	req, done, completed := s.begin(r.Context(), w, req, openAIDialect)
	if done {
		return completed
	}
	ans := s.answer(req)
	id := fmt.Sprintf("chatcmpl-fake%d", req.Seq)
	created := time.Now().Unix()
	if !req.Stream {
		writeJSON(w, http.StatusOK, openAICompletion(id, created, req, ans))
		return true
	}
	return s.streamOpenAI(w, r, req, ans, id, created)
}

func openAICompletion(id string, created int64, req Request, a Answer) map[string]any {
	msg := map[string]any{"role": "assistant", "content": a.Text}
	if len(a.Calls) > 0 {
		if a.Text == "" {
			msg["content"] = nil
		}
		calls := make([]map[string]any, len(a.Calls))
		for i, c := range a.Calls {
			calls[i] = map[string]any{"id": c.ID, "type": "function", "function": map[string]any{"name": c.Name, "arguments": c.Args}}
		}
		msg["tool_calls"] = calls
	}
	return map[string]any{
		"id": id, "object": "chat.completion", "created": created, "model": req.Model,
		"choices": []map[string]any{{"index": 0, "message": msg, "logprobs": nil, "finish_reason": a.Finish}},
		"usage":   openAIUsage(a),
	}
}

func openAIUsage(a Answer) map[string]any {
	return map[string]any{"prompt_tokens": a.PromptTok, "completion_tokens": a.OutputTok, "total_tokens": a.PromptTok + a.OutputTok}
}

func (s *Server) streamOpenAI(w http.ResponseWriter, r *http.Request, req Request, a Answer, id string, created int64) bool {
	ctx := r.Context()
	fl := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": created, "model": req.Model,
			"choices": []map[string]any{{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}},
		}
	}
	send := func(v any) bool {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return false
		}
		fl.Flush()
		return ctx.Err() == nil
	}
	if !send(chunk(map[string]any{"role": "assistant", "content": ""}, nil)) {
		return false
	}
	if req.Fault == FaultInvalidJSON {
		_, _ = fmt.Fprint(w, "data: {\"choices\": [{\"delta\": {\"content\": \"oops\"\n\n")
		fl.Flush()
		_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
		return true
	}
	pieces, ok := s.streamText(ctx, req, a.Text, func(p string) bool { return send(chunk(map[string]any{"content": p}, nil)) })
	if !ok {
		return false
	}
	if !s.streamOpenAICalls(r, req, a.Calls, pieces, func(tc map[string]any) bool {
		return send(chunk(map[string]any{"tool_calls": []any{tc}}, nil))
	}) {
		return false
	}
	if req.Fault == FaultCutStream {
		abort()
	}
	if !send(chunk(map[string]any{}, a.Finish)) {
		return false
	}
	if req.IncludeUsage {
		if !send(map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": created, "model": req.Model,
			"choices": []any{}, "usage": openAIUsage(a),
		}) {
			return false
		}
	}
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	fl.Flush()
	return true
}

// streamOpenAICalls streams each call as its header (id, type, name) and
// then its arguments in two fragments, as OpenAI does; pieces is the number
// of text deltas sent before. False once the client is gone.
func (s *Server) streamOpenAICalls(r *http.Request, req Request, calls []Call, pieces int, send func(toolCall map[string]any) bool) bool {
	for i, c := range calls {
		for j, p := range Chunks(c.Args, 2) {
			fn := map[string]any{"arguments": p}
			tc := map[string]any{"index": i, "function": fn}
			if j == 0 {
				tc["id"], tc["type"], fn["name"] = c.ID, "function", c.Name
			}
			if (pieces > 0 || i > 0 || j > 0) && !wait(r.Context(), s.cfg.ChunkSpacing) {
				return false
			}
			if req.Fault == FaultCutStream && pieces == 0 && j > 0 {
				abort()
			}
			if !send(tc) {
				return false
			}
		}
	}
	return true
}

func writeOpenAIError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": nil}})
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
