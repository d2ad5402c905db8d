package openai

import (
	"bytes"
	"encoding/json"
)

// ChatCompletion is the non-stream chat.completion object
// (CreateChatCompletionResponse).
type ChatCompletion struct {
	ID      string       `json:"id"`
	Object  string       `json:"object"`
	Created int64        `json:"created"`
	Model   string       `json:"model"`
	Choices []ChatChoice `json:"choices"`
	Usage   *Usage       `json:"usage"`
}

// ChatChoice is one choice of a chat.completion.
type ChatChoice struct {
	Index    int         `json:"index"`
	Message  ChatMessage `json:"message"`
	Logprobs *struct{}   `json:"logprobs"` // Chorus has none to report: null
	// Text is not OpenAI's: a few servers put a chat answer there, as in a
	// legacy completion; it is read, never written.
	Text         Text   `json:"text,omitempty"`
	FinishReason string `json:"finish_reason"`
}

// ChatMessage is the assistant message of a chat.completion: content is
// null only with tool calls; refusal is required and nullable.
type ChatMessage struct {
	Role    string  `json:"role"`
	Content *Text   `json:"content"`
	Refusal *string `json:"refusal"`
	Reasoning
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
}

// Reasoning is a message's or delta's reasoning text: DeepSeek's
// reasoning_content (what Chorus writes) or vLLM's and OpenRouter's
// reasoning (only read).
type Reasoning struct {
	ReasoningContent Text `json:"reasoning_content,omitempty"`
	Reasoning        Text `json:"reasoning,omitempty"`
}

// ReasoningText returns the reasoning, whichever field carried it.
func (r *Reasoning) ReasoningText() string {
	if r.ReasoningContent != "" {
		return string(r.ReasoningContent)
	}
	return string(r.Reasoning)
}

// Usage counts the tokens of a chat.completion or text_completion
// (CompletionUsage).
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Text is message text. It is written as a JSON string; it is read from a
// string, null, a number or a list of content parts ({"type":"text",
// "text":…} or plain strings), which some providers send.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(data []byte) error {
	if ok, err := stringOrNull(data, (*string)(t)); ok {
		return err
	}
	switch data[0] {
	case '[':
		return t.fromParts(data)
	case '{':
		var part struct {
			Text Text `json:"text"`
		}
		if err := json.Unmarshal(data, &part); err != nil {
			return err
		}
		*t = part.Text
	default:
		*t = Text(data) // a number or bool, stringified
	}
	return nil
}

// fromParts joins the text of a list of content parts.
func (t *Text) fromParts(data []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(data, &parts); err != nil {
		return err
	}
	var b bytes.Buffer
	for _, p := range parts {
		var s Text // a string or a {"type":"text","text":…} part
		if json.Unmarshal(p, &s) == nil {
			b.WriteString(string(s))
		}
	}
	*t = Text(b.String())
	return nil
}

// TextOf returns a pointer to s as Text (for a message's Content).
func TextOf(s *string) *Text { return (*Text)(s) }
