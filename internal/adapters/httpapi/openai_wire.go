package httpapi

import (
	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

func openAIUsageOf(u domain.Usage) openaiwire.Usage {
	return openaiwire.Usage{PromptTokens: u.InputTokens, CompletionTokens: u.OutputTokens, TotalTokens: u.Total()}
}

// chatCompletion is the non-stream chat.completion object with Chorus's
// include_workflow extension.
type chatCompletion struct {
	openaiwire.ChatCompletion
	Workflow *workflowJSON `json:"workflow,omitempty"`
}

// openAIFrame is a chat.completion.chunk or text_completion object with
// Chorus's include_workflow extension; C is the choice type.
type openAIFrame[C openaiwire.ChunkChoice | openaiwire.TextChoice] struct {
	openaiwire.Frame[C]
	Workflow *workflowJSON `json:"workflow,omitempty"`
}

// chatChunk is one chat.completion.chunk.
type chatChunk = openAIFrame[openaiwire.ChunkChoice]

// textCompletion is the text_completion object (non-stream and chunks).
type textCompletion = openAIFrame[openaiwire.TextChoice]

// finishReason reports tool_calls when tools were called, else the model's
// reason, defaulting to stop.
func finishReason(res domain.ChatResult) string {
	switch {
	case len(res.ToolCalls) > 0:
		return domain.FinishToolCalls
	case res.FinishReason != "":
		return res.FinishReason
	}
	return domain.FinishStop
}

// textFinishReason is finishReason within the legacy text_completion's
// closed enum (stop, length, content_filter): that API has no tool calls,
// so an answer that ended in calls (tools offered on /v1/completions) stops.
func textFinishReason(res domain.ChatResult) string {
	switch r := finishReason(res); r {
	case domain.FinishLength, "content_filter":
		return r
	}
	return domain.FinishStop
}

// chatToolCalls converts whole tool calls for a message.
func chatToolCalls(calls []domain.ToolCall, withIndex bool) []openaiwire.ToolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]openaiwire.ToolCall, len(calls))
	for i, tc := range calls {
		out[i] = openaiwire.ToolCall{ID: tc.ID, Type: "function",
			Function: openaiwire.FunctionCall{Name: tc.Name, Arguments: openaiwire.Args(tc.Arguments)}}
		if withIndex {
			idx := tc.Index
			out[i].Index = &idx
		}
	}
	return out
}

// toolCallFragments converts streamed fragments (index always set; id,
// type and name only when they arrive).
func toolCallFragments(calls []domain.ToolCall) []openaiwire.ToolCall {
	out := make([]openaiwire.ToolCall, len(calls))
	for i, tc := range calls {
		idx := tc.Index
		out[i] = openaiwire.ToolCall{Index: &idx, ID: tc.ID,
			Function: openaiwire.FunctionCall{Name: tc.Name, Arguments: openaiwire.Args(tc.Arguments)}}
		if tc.ID != "" || tc.Name != "" {
			out[i].Type = "function"
		}
	}
	return out
}
