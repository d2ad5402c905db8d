package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

type ollamaRequest struct {
	Model    string          `json:"model"`
	Messages []wireMessage   `json:"messages"`
	Stream   *bool           `json:"stream"`
	Tools    []wireTool      `json:"tools"`
	Options  *ollamaOptions  `json:"options"`
	Format   json.RawMessage `json:"format"`
}

type ollamaOptions struct {
	Temperature *float64 `json:"temperature"`
	TopP        *float64 `json:"top_p"`
	NumPredict  *int     `json:"num_predict"`
}

// ollamaDialect is how Ollama's /api/chat fails.
var ollamaDialect = dialect{
	err500: func(w http.ResponseWriter) {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "injected upstream failure"})
	},
	err401: func(w http.ResponseWriter) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
	},
	truncated: `{"message": {"content": "trunc`,
	cut:       `{"model":"x","message":{"role":"assistant","content":"cut`,
}

func (s *Server) handleOllama(w http.ResponseWriter, r *http.Request) bool {
	var in ollamaRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad JSON: " + err.Error()})
		return true
	}
	req := Request{
		Protocol: ProtocolOllama, Path: r.URL.Path, Model: in.Model,
		Messages: convertMessages(in.Messages), Stream: in.Stream == nil || *in.Stream,
		Tools: toolNames(in.Tools), ResponseFormat: in.Format, Auth: r.Header.Get("Authorization"),
	}
	if in.Options != nil {
		req.Temperature, req.TopP, req.MaxTokens = in.Options.Temperature, in.Options.TopP, in.Options.NumPredict
	}
	req, done, completed := s.begin(r.Context(), w, req, ollamaDialect)
	if done {
		return completed
	}
	ans := s.answer(req)
	createdAt := time.Now().UTC().Format(time.RFC3339Nano)
	if !req.Stream {
		msg := ollamaMessage(ans.Text, ans)
		writeJSON(w, http.StatusOK, ollamaFinal(req, ans, createdAt, msg))
		return true
	}
	return s.streamOllama(w, r, req, ans, createdAt)
}

func ollamaMessage(content string, a Answer) map[string]any {
	msg := map[string]any{"role": "assistant", "content": content}
	if len(a.Calls) > 0 {
		calls := make([]map[string]any, len(a.Calls))
		for i, c := range a.Calls {
			calls[i] = map[string]any{"function": map[string]any{"name": c.Name, "arguments": ollamaArgs(c.Args)}}
		}
		msg["tool_calls"] = calls
	}
	return msg
}

// ollamaArgs sends valid arguments as the JSON object Ollama uses and
// malformed ones (a scripted fault) as a string.
func ollamaArgs(args string) any {
	if json.Valid([]byte(args)) {
		return json.RawMessage(args)
	}
	return args
}

func ollamaFinal(req Request, a Answer, createdAt string, msg map[string]any) map[string]any {
	reason := "stop"
	return map[string]any{
		"model": req.Model, "created_at": createdAt, "message": msg, "done": true, "done_reason": reason,
		"total_duration": int64(1_000_000), "load_duration": int64(0),
		"prompt_eval_count": a.PromptTok, "prompt_eval_duration": int64(100_000),
		"eval_count": a.OutputTok, "eval_duration": int64(900_000),
	}
}

func (s *Server) streamOllama(w http.ResponseWriter, r *http.Request, req Request, a Answer, createdAt string) bool {
	ctx := r.Context()
	fl := w.(http.Flusher)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	send := func(v any) bool {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
			return false
		}
		fl.Flush()
		return ctx.Err() == nil
	}
	if req.Fault == FaultInvalidJSON {
		_, _ = fmt.Fprint(w, "{\"message\": {\"content\": \"oops\n")
		fl.Flush()
		return true
	}
	if _, ok := s.streamText(ctx, req, a.Text, func(p string) bool {
		return send(map[string]any{"model": req.Model, "created_at": createdAt,
			"message": map[string]any{"role": "assistant", "content": p}, "done": false})
	}); !ok {
		return false
	}
	if len(a.Calls) > 0 {
		// Ollama sends tool calls whole, in one chunk.
		if !send(map[string]any{"model": req.Model, "created_at": createdAt, "message": ollamaMessage("", a), "done": false}) {
			return false
		}
	}
	if req.Fault == FaultCutStream {
		abort()
	}
	return send(ollamaFinal(req, a, createdAt, map[string]any{"role": "assistant", "content": ""}))
}
