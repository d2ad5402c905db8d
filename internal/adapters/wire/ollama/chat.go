package ollama

import "encoding/json"

// Message is a chat message in either direction: a request turn, an
// answer's message or a stream chunk's piece of one.
type Message struct {
	Role      string     `json:"role"`
	Content   string     `json:"content"`
	Thinking  string     `json:"thinking,omitempty"`
	Images    []string   `json:"images,omitempty"`
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	ToolName  string     `json:"tool_name,omitempty"`
}

// ToolCall is a tool call; unlike OpenAI's, Arguments is a JSON object.
type ToolCall struct {
	ID       string   `json:"id,omitempty"`
	Function Function `json:"function"`
}

// Function is the called function of a ToolCall.
type Function struct {
	Index     *int            `json:"index,omitempty"`
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

// Chunk is every answer object of /api/chat and /api/generate: a non-stream
// body, a stream chunk, the final done object, or an error line (Error).
type Chunk struct {
	Model     string   `json:"model"`
	CreatedAt string   `json:"created_at"`
	Message   *Message `json:"message,omitempty"`  // /api/chat
	Response  *string  `json:"response,omitempty"` // /api/generate
	Thinking  string   `json:"thinking,omitempty"` // /api/generate
	Done      bool     `json:"done"`
	*Stats
	// Error is Ollama's error text on an error line; kept raw because some
	// proxies send an object there.
	Error json.RawMessage `json:"error,omitempty"`
}

// Stats are the final object's fields; durations in nanoseconds.
type Stats struct {
	DoneReason         string `json:"done_reason"`
	TotalDuration      int64  `json:"total_duration"`
	LoadDuration       int64  `json:"load_duration"`
	PromptEvalCount    int    `json:"prompt_eval_count"`
	PromptEvalDuration int64  `json:"prompt_eval_duration"`
	EvalCount          int    `json:"eval_count"`
	EvalDuration       int64  `json:"eval_duration"`
}

// Error is Ollama's error body and in-stream error line, {"error":"<text>"}.
type Error struct {
	Error string `json:"error"`
}

// Options are the sampling options of a request that Chorus sends and
// forwards.
type Options struct {
	Temperature      *float64 `json:"temperature,omitempty"`
	TopP             *float64 `json:"top_p,omitempty"`
	NumPredict       *int     `json:"num_predict,omitempty"`
	Stop             []string `json:"stop,omitempty"`
	Seed             *int     `json:"seed,omitempty"`
	PresencePenalty  *float64 `json:"presence_penalty,omitempty"`
	FrequencyPenalty *float64 `json:"frequency_penalty,omitempty"`
}
