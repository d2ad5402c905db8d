package ollama

import (
	"encoding/json"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
)

// chatRequest is the /api/chat request body. Stream is always sent because
// Ollama streams when it is absent.
type chatRequest struct {
	Model    string          `json:"model"`
	Messages []wireMessage   `json:"messages"`
	Stream   bool            `json:"stream"`
	Options  *wireOptions    `json:"options,omitempty"`
	Tools    []upstream.Tool `json:"tools,omitempty"`
	Format   json.RawMessage `json:"format,omitempty"`
}

// wireOptions are Ollama's sampling options.
type wireOptions struct {
	Temperature      *float64 `json:"temperature,omitempty"`
	TopP             *float64 `json:"top_p,omitempty"`
	NumPredict       *int     `json:"num_predict,omitempty"`
	Stop             []string `json:"stop,omitempty"`
	Seed             *int     `json:"seed,omitempty"`
	PresencePenalty  *float64 `json:"presence_penalty,omitempty"`
	FrequencyPenalty *float64 `json:"frequency_penalty,omitempty"`
}

// wireMessage is a chat message in either direction.
type wireMessage struct {
	Role      string         `json:"role"`
	Content   string         `json:"content"`
	Thinking  string         `json:"thinking,omitempty"`
	Images    []string       `json:"images,omitempty"`
	ToolCalls []wireToolCall `json:"tool_calls,omitempty"`
	ToolName  string         `json:"tool_name,omitempty"`
}

// wireToolCall is a tool call; Arguments is a JSON object.
type wireToolCall struct {
	ID       string       `json:"id,omitempty"`
	Function wireFunction `json:"function"`
}

// wireFunction is the called function.
type wireFunction struct {
	Index     *int            `json:"index,omitempty"`
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

// wireResponse is a non-streamed answer or one NDJSON stream object.
type wireResponse struct {
	Message         wireMessage     `json:"message"`
	Done            bool            `json:"done"`
	DoneReason      string          `json:"done_reason"`
	PromptEvalCount int             `json:"prompt_eval_count"`
	EvalCount       int             `json:"eval_count"`
	Error           json.RawMessage `json:"error"`
}
