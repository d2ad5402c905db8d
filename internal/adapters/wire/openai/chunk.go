package openai

import "encoding/json"

// Frame is what a chat.completion.chunk and a text_completion object
// (whole or streamed) share; C is the choice type.
type Frame[C ChunkChoice | TextChoice] struct {
	ID      string     `json:"id"`
	Object  string     `json:"object"`
	Created int64      `json:"created"`
	Model   string     `json:"model"`
	Choices []C        `json:"choices"`
	Usage   ChunkUsage `json:"usage,omitzero"`
}

// Chunk is one chat.completion.chunk (CreateChatCompletionStreamResponse).
type Chunk = Frame[ChunkChoice]

// TextCompletion is a text_completion object (CreateCompletionResponse),
// non-stream or one stream chunk.
type TextCompletion = Frame[TextChoice]

// ChunkChoice is the choice of a chat.completion.chunk.
type ChunkChoice struct {
	Index        int       `json:"index"`
	Delta        Delta     `json:"delta"`
	Logprobs     *struct{} `json:"logprobs"`       // always null from Chorus
	Text         Text      `json:"text,omitempty"` // read only, as ChatChoice.Text
	FinishReason *string   `json:"finish_reason"`
}

// Delta is a chunk's piece of the assistant message; streamed tool calls
// come as fragments carrying their Index.
type Delta struct {
	Role    string `json:"role,omitempty"`
	Content *Text  `json:"content,omitempty"`
	Reasoning
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
}

// TextChoice is the choice of a text_completion.
type TextChoice struct {
	Text         string    `json:"text"`
	Index        int       `json:"index"`
	Logprobs     *struct{} `json:"logprobs"`
	FinishReason *string   `json:"finish_reason"`
}

// ChunkUsage is a chunk's usage, which has three forms: absent (the zero
// value: a stream without include_usage), null (Null: every chunk of an
// include_usage stream but the usage one) and the counts (the usage chunk).
type ChunkUsage struct {
	*Usage
	Null bool
}

// UsageCounts is the ChunkUsage carrying u.
func UsageCounts(u Usage) ChunkUsage { return ChunkUsage{Usage: &u} }

// MarshalJSON implements json.Marshaler.
func (u ChunkUsage) MarshalJSON() ([]byte, error) {
	if u.Usage == nil {
		return []byte("null"), nil
	}
	return json.Marshal(u.Usage)
}

// UnmarshalJSON implements json.Unmarshaler.
func (u *ChunkUsage) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*u = ChunkUsage{Null: true}
		return nil
	}
	var counts Usage
	if err := json.Unmarshal(data, &counts); err != nil {
		return err
	}
	*u = ChunkUsage{Usage: &counts}
	return nil
}
