package openai

import (
	"encoding/json"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	"github.com/chorus-ai/chorus/internal/domain"
)

// decodeCompletion parses a non-streamed Chat Completions body. The error
// lacks the model name and attempt count, which the caller fills in.
func decodeCompletion(body []byte) (domain.Completion, *domain.LLMError) {
	var resp wireResponse
	if !fastDecode(body, &resp) {
		resp = wireResponse{}
		if err := json.Unmarshal(body, &resp); err != nil {
			return domain.Completion{}, upstream.BadResponse("invalid JSON: "+err.Error(), err)
		}
	}
	if upstream.IsSet(resp.Error) || len(resp.Choices) == 0 {
		if msg, code, ok := upstream.ProviderError(body); ok {
			return domain.Completion{}, upstream.ProviderFailure(msg, code)
		}
	}
	if len(resp.Choices) == 0 {
		return domain.Completion{}, upstream.BadResponse("response has no choices", nil)
	}
	d := choiceDelta(&resp.Choices[0], false)
	comp := domain.Completion{Text: d.Text, Reasoning: d.Reasoning, ToolCalls: d.ToolCalls, FinishReason: d.FinishReason}
	if resp.Usage != nil {
		comp.Usage = domain.Usage{InputTokens: resp.Usage.PromptTokens, OutputTokens: resp.Usage.CompletionTokens}
	}
	if comp.Text == "" && len(comp.ToolCalls) == 0 {
		if msg, code, ok := upstream.ProviderError(body); ok {
			return domain.Completion{}, upstream.ProviderFailure(msg, code)
		}
		if !upstream.EmptyAnswer(comp.FinishReason) {
			return domain.Completion{}, emptyContent(comp.FinishReason)
		}
	}
	comp.FinishReason = upstream.FinishReason(comp.FinishReason, len(comp.ToolCalls) > 0)
	return comp, nil
}

// emptyContent is the error for an answer with neither text nor tool calls.
func emptyContent(finish string) *domain.LLMError {
	msg := "empty content"
	if finish != "" {
		msg += " (finish_reason " + finish + ")"
	}
	return upstream.BadResponse(msg, nil)
}

// choiceDelta converts a choice's message (streamed: its delta) to a Delta.
// Streamed tool-call fragments keep their wire index; a whole message's
// calls are numbered in order.
func choiceDelta(ch *wireChoice, streamed bool) domain.Delta {
	m := &ch.Message
	if streamed {
		m = &ch.Delta
	}
	d := domain.Delta{
		Text:         string(m.Content),
		Reasoning:    reasoningOf(m),
		FinishReason: ch.FinishReason,
	}
	if d.Text == "" {
		d.Text = string(ch.Text)
	}
	if n := len(m.ToolCalls); n > 0 {
		d.ToolCalls = make([]domain.ToolCall, n)
		for i, tc := range m.ToolCalls {
			index := i
			if streamed {
				index = tc.Index
			}
			d.ToolCalls[i] = domain.ToolCall{Index: index, ID: tc.ID, Name: tc.Function.Name, Arguments: string(tc.Function.Arguments)}
		}
	}
	return d
}

// reasoningOf returns a message's reasoning text, whichever field carried it.
func reasoningOf(d *wireDelta) string {
	if d.ReasoningContent != "" {
		return string(d.ReasoningContent)
	}
	return string(d.Reasoning)
}
