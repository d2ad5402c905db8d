package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	ollamawire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	"github.com/chorus-ai/chorus/internal/domain"
)

// ollamaGenerate serves POST /api/generate.
func (s *Server) ollamaGenerate(c echo.Context) error {
	return s.ollama(c, decodeOllamaGenerate, false)
}

// ollamaChat serves POST /api/chat.
func (s *Server) ollamaChat(c echo.Context) error {
	return s.ollama(c, decodeOllamaChat, true)
}

func (s *Server) ollama(c echo.Context, decode func([]byte) (domain.ChatRequest, error), chat bool) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	req, err := decode(body)
	if err != nil {
		return err
	}
	if err := applyProgress(c, &req); err != nil {
		return err
	}
	noteRequest(c, req)
	enc := &ollamaStream{s: s, req: req, model: req.Model, chat: chat, times: ollamaTimes{start: s.now()}}
	if req.Stream {
		enc.sse = wantsSSE(c)
		mime := mimeNDJSON
		if enc.sse {
			mime = mimeSSE
		}
		enc.sw = newStreamWriter(c, mime)
		return s.runStream(c, req, enc.sw, enc)
	}
	res, err := s.complete(c, req)
	if err != nil {
		return err
	}
	final := enc.chunk(res.Text, res.Reasoning, ollamaToolCalls(res.ToolCalls))
	final.Done = true
	final.Model = res.Model // a fallback may have answered
	final.Stats = enc.times.stats(s.now(), res)
	final.Workflow = workflowFrom(req, res.Trace)
	return c.JSON(http.StatusOK, final)
}

// ollamaStream renders Ollama NDJSON (or SSE when the client asked for it).
type ollamaStream struct {
	s   *Server
	req domain.ChatRequest
	// model is the name chunks carry: the requested one until a fallback
	// answers instead.
	model string
	chat  bool
	sse   bool
	sw    *streamWriter
	times ollamaTimes
}

// chunk builds a chat or generate object with the given content.
func (o *ollamaStream) chunk(text, thinking string, calls []ollamawire.ToolCall) *ollamaChunk {
	ch := &ollamaChunk{Chunk: ollamawire.Chunk{Model: o.model, CreatedAt: rfc3339(o.s.now())}}
	if o.chat {
		ch.Message = &ollamawire.Message{Role: "assistant", Content: text, Thinking: thinking, ToolCalls: calls}
	} else {
		ch.Response = &text
		ch.Thinking = thinking
	}
	return ch
}

func (o *ollamaStream) write(v any) error {
	if o.sse {
		return o.sw.sse("", v)
	}
	return o.sw.ndjson(v)
}

func (o *ollamaStream) event(ev domain.StreamEvent) error {
	if ev.Model != "" {
		o.model = ev.Model
	}
	if ev.KeepAlive {
		if o.sse {
			return o.sw.raw(keepAliveFrame)
		}
		return o.write(o.chunk("", "", nil))
	}
	if ev.Delta.Text == "" && ev.Delta.Reasoning == "" {
		return nil // tool-call fragments are sent whole at the end
	}
	o.times.markFirst(o.s.now())
	return o.write(o.chunk(ev.Delta.Text, ev.Delta.Reasoning, nil))
}

func (o *ollamaStream) finish(res domain.ChatResult) error {
	if res.Model != "" {
		o.model = res.Model
	}
	if calls := ollamaToolCalls(res.ToolCalls); o.chat && calls != nil {
		if err := o.write(o.chunk("", "", calls)); err != nil {
			return err
		}
	}
	final := o.chunk("", "", nil)
	final.Done = true
	final.Model = res.Model // a fallback may have answered
	final.Stats = o.times.stats(o.s.now(), res)
	final.Workflow = workflowFrom(o.req, res.Trace)
	if err := o.write(final); err != nil {
		return err
	}
	if o.sse {
		return o.sw.raw(doneFrame)
	}
	return nil
}

func (o *ollamaStream) fail(he httpError) error {
	return o.write(he.ollama())
}
