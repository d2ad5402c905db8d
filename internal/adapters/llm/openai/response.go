package openai

import (
	"encoding/json"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// decodeCompletion parses a non-streamed Chat Completions body. The error
// lacks the model name and attempt count, which the caller fills in.
func decodeCompletion(body []byte) (domain.Completion, *domain.LLMError) {
	var resp completionBody
	if !fastDecodeCompletion(body, &resp) {
		resp = completionBody{}
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
	ch := &resp.Choices[0]
	m := &ch.Message
	d := toDelta(m.Content, ch.Text, &m.Reasoning, m.ToolCalls, false)
	comp := domain.Completion{Text: d.Text, Reasoning: d.Reasoning, ToolCalls: d.ToolCalls, FinishReason: ch.FinishReason}
	if resp.Usage != nil {
		comp.Usage = usageOf(resp.Usage)
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

// usageOf converts OpenAI's token counts.
func usageOf(u *wire.Usage) domain.Usage {
	return domain.Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens}
}

// emptyContent is the error for an answer with neither text nor tool calls.
func emptyContent(finish string) *domain.LLMError {
	msg := "empty content"
	if finish != "" {
		msg += " (finish_reason " + finish + ")"
	}
	return upstream.BadResponse(msg, nil)
}

// toDelta converts a message (streamed: a delta) to a domain Delta: its
// content (else a choice's legacy text), reasoning and tool calls.
// Streamed tool-call fragments keep their wire index; a whole message's
// calls are numbered in order.
func toDelta(content *wire.Text, legacy wire.Text, r *wire.Reasoning, calls []wire.ToolCall, streamed bool) domain.Delta {
	d := domain.Delta{Reasoning: r.ReasoningText()}
	if content != nil {
		d.Text = string(*content)
	}
	if d.Text == "" {
		d.Text = string(legacy)
	}
	if n := len(calls); n > 0 {
		d.ToolCalls = make([]domain.ToolCall, n)
		for i, tc := range calls {
			index := i
			if streamed && tc.Index != nil {
				index = *tc.Index
			}
			d.ToolCalls[i] = domain.ToolCall{Index: index, ID: tc.ID, Name: tc.Function.Name, Arguments: string(tc.Function.Arguments)}
		}
	}
	return d
}
