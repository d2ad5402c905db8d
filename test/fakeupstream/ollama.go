package fakeupstream

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	wire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

type ollamaRequest struct {
	Model    string            `json:"model"`
	Messages []wire.Message    `json:"messages"`
	Stream   *bool             `json:"stream"`
	Tools    []openaiwire.Tool `json:"tools"`
	Options  *wire.Options     `json:"options"`
	Format   json.RawMessage   `json:"format"`
}

// ollamaDialect is how Ollama's /api/chat fails.
var ollamaDialect = dialect{
	err500: func(w http.ResponseWriter) {
		writeJSON(w, http.StatusInternalServerError, wire.Error{Error: "injected upstream failure"})
	},
	err401: func(w http.ResponseWriter) {
		writeJSON(w, http.StatusUnauthorized, wire.Error{Error: "unauthorized"})
	},
	truncated: `{"message": {"content": "trunc`,
	cut:       `{"model":"x","message":{"role":"assistant","content":"cut`,
}

func (s *Server) handleOllama(w http.ResponseWriter, r *http.Request) bool {
	var in ollamaRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, wire.Error{Error: "bad JSON: " + err.Error()})
		return true
	}
	req := Request{
		Protocol: ProtocolOllama, Path: r.URL.Path, Model: in.Model,
		Messages: convertOllamaMessages(in.Messages), Stream: in.Stream == nil || *in.Stream,
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

func ollamaMessage(content string, a Answer) *wire.Message {
	msg := &wire.Message{Role: "assistant", Content: content}
	for _, c := range a.Calls {
		msg.ToolCalls = append(msg.ToolCalls, wire.ToolCall{Function: wire.Function{Name: c.Name, Arguments: ollamaArgs(c.Args)}})
	}
	return msg
}

// ollamaArgs sends valid arguments as the JSON object Ollama uses and
// malformed ones (a scripted fault) as a string.
func ollamaArgs(args string) json.RawMessage {
	if json.Valid([]byte(args)) {
		return json.RawMessage(args)
	}
	b, _ := json.Marshal(args) // marshaling a string cannot fail
	return b
}

func ollamaFinal(req Request, a Answer, createdAt string, msg *wire.Message) wire.Chunk {
	return wire.Chunk{Model: req.Model, CreatedAt: createdAt, Message: msg, Done: true, Stats: &wire.Stats{
		DoneReason: "stop", TotalDuration: 1_000_000, PromptEvalCount: a.PromptTok, PromptEvalDuration: 100_000,
		EvalCount: a.OutputTok, EvalDuration: 900_000,
	}}
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
		return send(wire.Chunk{Model: req.Model, CreatedAt: createdAt, Message: &wire.Message{Role: "assistant", Content: p}})
	}); !ok {
		return false
	}
	if len(a.Calls) > 0 {
		// Ollama sends tool calls whole, in one chunk.
		if !send(wire.Chunk{Model: req.Model, CreatedAt: createdAt, Message: ollamaMessage("", a)}) {
			return false
		}
	}
	if req.Fault == FaultCutStream {
		abort()
	}
	return send(ollamaFinal(req, a, createdAt, &wire.Message{Role: "assistant"}))
}
