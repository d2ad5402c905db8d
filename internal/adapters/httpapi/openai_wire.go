package httpapi

import (
	"github.com/chorus-ai/chorus/internal/domain"
)

// openAIUsage is usage on chat.completion and text_completion objects.
type openAIUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

func openAIUsageOf(u domain.Usage) *openAIUsage {
	return &openAIUsage{PromptTokens: u.InputTokens, CompletionTokens: u.OutputTokens, TotalTokens: u.Total()}
}

// chatCompletion is the non-stream chat.completion object.
type chatCompletion struct {
	ID       string        `json:"id"`
	Object   string        `json:"object"`
	Created  int64         `json:"created"`
	Model    string        `json:"model"`
	Choices  []chatChoice  `json:"choices"`
	Usage    *openAIUsage  `json:"usage"`
	Workflow *workflowJSON `json:"workflow,omitempty"`
}

type chatChoice struct {
	Index        int         `json:"index"`
	Message      chatMessage `json:"message"`
	Logprobs     *struct{}   `json:"logprobs"`
	FinishReason string      `json:"finish_reason"`
}

// chatMessage is the assistant message; content is null only with tool
// calls. Refusal is required (nullable) and Chorus never refuses: always null.
type chatMessage struct {
	Role             string         `json:"role"`
	Content          *string        `json:"content"`
	Refusal          *string        `json:"refusal"`
	ReasoningContent string         `json:"reasoning_content,omitempty"`
	ToolCalls        []chatToolCall `json:"tool_calls,omitempty"`
}

// chatToolCall is a tool call in a message or (as fragments) in a delta.
type chatToolCall struct {
	Index    *int             `json:"index,omitempty"`
	ID       string           `json:"id,omitempty"`
	Type     string           `json:"type,omitempty"`
	Function chatToolFunction `json:"function"`
}

type chatToolFunction struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

// openAIObject is the shape chat.completion.chunk and text_completion
// objects share; C is the choice type. Usage is an interface so it can be
// omitted, null (include_usage on content chunks) or the usage object.
type openAIObject[C any] struct {
	ID       string        `json:"id"`
	Object   string        `json:"object"`
	Created  int64         `json:"created"`
	Model    string        `json:"model"`
	Choices  []C           `json:"choices"`
	Usage    any           `json:"usage,omitempty"`
	Workflow *workflowJSON `json:"workflow,omitempty"`
}

// chatChunk is one chat.completion.chunk.
type chatChunk = openAIObject[chatChunkChoice]

type chatChunkChoice struct {
	Index        int       `json:"index"`
	Delta        chatDelta `json:"delta"`
	Logprobs     *struct{} `json:"logprobs"`
	FinishReason *string   `json:"finish_reason"`
}

type chatDelta struct {
	Role             string         `json:"role,omitempty"`
	Content          *string        `json:"content,omitempty"`
	ReasoningContent string         `json:"reasoning_content,omitempty"`
	ToolCalls        []chatToolCall `json:"tool_calls,omitempty"`
}

// textCompletion is the text_completion object (non-stream and chunks).
type textCompletion = openAIObject[textChoice]

type textChoice struct {
	Text         string    `json:"text"`
	Index        int       `json:"index"`
	Logprobs     *struct{} `json:"logprobs"`
	FinishReason *string   `json:"finish_reason"`
}

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
func chatToolCalls(calls []domain.ToolCall, withIndex bool) []chatToolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]chatToolCall, len(calls))
	for i, tc := range calls {
		out[i] = chatToolCall{ID: tc.ID, Type: "function", Function: chatToolFunction{Name: tc.Name, Arguments: tc.Arguments}}
		if withIndex {
			idx := tc.Index
			out[i].Index = &idx
		}
	}
	return out
}

// toolCallFragments converts streamed fragments (index always set; id,
// type and name only when they arrive).
func toolCallFragments(calls []domain.ToolCall) []chatToolCall {
	out := make([]chatToolCall, len(calls))
	for i, tc := range calls {
		idx := tc.Index
		out[i] = chatToolCall{Index: &idx, ID: tc.ID, Function: chatToolFunction{Name: tc.Name, Arguments: tc.Arguments}}
		if tc.ID != "" || tc.Name != "" {
			out[i].Type = "function"
		}
	}
	return out
}
