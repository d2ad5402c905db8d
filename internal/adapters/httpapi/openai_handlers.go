package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// chatCompletions serves POST /v1/chat/completions.
func (s *Server) chatCompletions(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	req, params, err := decodeOpenAIChat(body)
	if err != nil {
		return err
	}
	if err := applyProgress(c, &req); err != nil {
		return err
	}
	noteRequest(c, req)
	id, created := s.ids.next("chatcmpl-"), s.now().Unix()
	if req.Stream {
		sw := newStreamWriter(c, mimeSSE)
		enc := &chatStream{sw: sw, req: req, includeUsage: params.IncludeUsage(),
			head: chatChunk{Frame: openaiwire.Chunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: req.Model}}}
		return s.runStream(c, req, sw, enc)
	}
	res, err := s.complete(c, req)
	if err != nil {
		return err
	}
	msg := openaiwire.ChatMessage{Role: "assistant", Content: openaiwire.TextOf(&res.Text),
		Reasoning: openaiwire.Reasoning{ReasoningContent: openaiwire.Text(res.Reasoning)},
		ToolCalls: chatToolCalls(res.ToolCalls, false)}
	if len(res.ToolCalls) > 0 && res.Text == "" {
		msg.Content = nil
	}
	usage := openAIUsageOf(res.Usage)
	return c.JSON(http.StatusOK, chatCompletion{ChatCompletion: openaiwire.ChatCompletion{
		ID: id, Object: "chat.completion", Created: created, Model: res.Model,
		Choices: []openaiwire.ChatChoice{{Message: msg, FinishReason: finishReason(res)}},
		Usage:   &usage,
	}, Workflow: workflowFrom(req, res.Trace)})
}

// completions serves POST /v1/completions.
func (s *Server) completions(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	req, params, err := decodeOpenAICompletion(body)
	if err != nil {
		return err
	}
	if err := applyProgress(c, &req); err != nil {
		return err
	}
	noteRequest(c, req)
	head := textCompletion{Frame: openaiwire.TextCompletion{ID: s.ids.next("cmpl-"), Object: "text_completion",
		Created: s.now().Unix(), Model: req.Model}}
	if req.Stream {
		sw := newStreamWriter(c, mimeSSE)
		return s.runStream(c, req, sw, &textStream{sw: sw, req: req, head: head, includeUsage: params.IncludeUsage()})
	}
	res, err := s.complete(c, req)
	if err != nil {
		return err
	}
	reason := textFinishReason(res)
	head.Model = res.Model // a fallback may have answered
	head.Choices = []openaiwire.TextChoice{{Text: res.Text, FinishReason: &reason}}
	head.Usage = openaiwire.UsageCounts(openAIUsageOf(res.Usage))
	head.Workflow = workflowFrom(req, res.Trace)
	return c.JSON(http.StatusOK, head)
}
