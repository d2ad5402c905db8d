package fakeupstream

import (
	"context"
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
	h := openAIHead{id: fmt.Sprintf("chatcmpl-fake%d", req.Seq), created: time.Now().Unix(), model: req.Model}
	if !req.Stream {
		writeJSON(w, http.StatusOK, openAICompletion(h, ans))
		return true
	}
	return s.streamOpenAI(w, r, req, ans, h)
}

func (s *Server) streamOpenAI(w http.ResponseWriter, r *http.Request, req Request, a Answer, h openAIHead) bool {
	ctx := r.Context()
	startSSE(w)
	send := func(d openaiwire.Delta, finish *string) bool {
		return sse(w, openAIChunk(h, d, finish)) && ctx.Err() == nil
	}
	if !send(openaiwire.Delta{Role: "assistant", Content: new(openaiwire.Text)}, nil) {
		return false
	}
	if req.Fault == FaultInvalidJSON {
		_, _ = w.Write([]byte("data: {\"choices\": [{\"delta\": {\"content\": \"oops\"\n\n"))
		return done(w)
	}
	pieces, ok := s.streamText(ctx, req, a.Text, func(p string) bool { return send(openAIDelta(Answer{Text: p}), nil) })
	if !ok || !s.streamCalls(ctx, req, a.Calls, pieces, send) {
		return false
	}
	if req.Fault == FaultCutStream {
		abort()
	}
	finish := a.finish()
	if !send(openaiwire.Delta{}, &finish) {
		return false
	}
	if req.IncludeUsage && !sse(w, openAIUsageChunk(h, a)) {
		return false
	}
	return done(w)
}

// streamCalls streams each call as its header (id, type, name) and then its
// arguments, in two fragments, as OpenAI does.
func (s *Server) streamCalls(ctx context.Context, req Request, calls []Call, pieces int,
	send func(openaiwire.Delta, *string) bool) bool {
	for i, c := range calls {
		for j, p := range Chunks(c.Args, 2) {
			frag := Call{Index: i, Args: p}
			if j == 0 {
				frag.ID, frag.Name = c.ID, c.Name
			}
			if (pieces > 0 || i > 0 || j > 0) && !Wait(ctx, s.cfg.ChunkSpacing) {
				return false
			}
			if req.Fault == FaultCutStream && pieces == 0 && j > 0 {
				abort()
			}
			if !send(openAIDelta(Answer{Calls: []Call{frag}}), nil) {
				return false
			}
		}
	}
	return true
}

func writeOpenAIError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, openAIError(typ, msg))
}
