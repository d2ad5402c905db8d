package fakeupstream

import (
	"encoding/json"
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
		writeJSON(w, http.StatusOK, ollamaFinal(req.Model, createdAt, ans, ollamaMessage(ans.Text, ans)))
		return true
	}
	return s.streamOllama(w, r, req, ans, createdAt)
}

func (s *Server) streamOllama(w http.ResponseWriter, r *http.Request, req Request, a Answer, createdAt string) bool {
	ctx := r.Context()
	startNDJSON(w)
	send := func(msg *wire.Message) bool {
		return ndjson(w, wire.Chunk{Model: req.Model, CreatedAt: createdAt, Message: msg}) && ctx.Err() == nil
	}
	if req.Fault == FaultInvalidJSON {
		_, _ = w.Write([]byte("{\"message\": {\"content\": \"oops\n"))
		Flush(w)
		return true
	}
	if _, ok := s.streamText(ctx, req, a.Text, func(p string) bool {
		return send(&wire.Message{Role: "assistant", Content: p})
	}); !ok {
		return false
	}
	// Ollama sends tool calls whole, in one chunk.
	if len(a.Calls) > 0 && !send(ollamaMessage("", a)) {
		return false
	}
	if req.Fault == FaultCutStream {
		abort()
	}
	return ndjson(w, ollamaFinal(req.Model, createdAt, a, &wire.Message{Role: "assistant"}))
}
