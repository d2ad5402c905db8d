package openai

import (
	"bytes"
	"encoding/json"

	"github.com/chorus-ai/chorus/internal/adapters/internal/jsonstr"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// wireResponse is a whole completion or one stream chunk.
type wireResponse struct {
	Choices []wireChoice    `json:"choices"`
	Usage   *wireUsage      `json:"usage"`
	Error   json.RawMessage `json:"error"`
}

// wireChoice is one choice; Message in completions, Delta in chunks.
type wireChoice struct {
	Index        int       `json:"index"`
	Message      wireDelta `json:"message"`
	Delta        wireDelta `json:"delta"`
	Text         flexText  `json:"text"`
	FinishReason string    `json:"finish_reason"`
}

// wireDelta is a response message or a chunk's delta.
type wireDelta struct {
	Content          flexText        `json:"content"`
	ReasoningContent flexText        `json:"reasoning_content"`
	Reasoning        flexText        `json:"reasoning"`
	ToolCalls        []wire.ToolCall `json:"tool_calls"`
}

// wireUsage counts tokens.
type wireUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// flexText decodes text sent as a string, null, or a list of content parts
// ({"type":"text","text":…} or plain strings).
type flexText string

// UnmarshalJSON implements json.Unmarshaler.
func (t *flexText) UnmarshalJSON(data []byte) error {
	switch {
	case len(data) == 0 || data[0] == 'n':
		*t = ""
	case data[0] == '"':
		return jsonstr.Decode(data, (*string)(t))
	case data[0] == '[':
		var parts []json.RawMessage
		if err := json.Unmarshal(data, &parts); err != nil {
			return err
		}
		var b bytes.Buffer
		for _, p := range parts {
			var s flexText // a string or a {"type":"text","text":…} part
			if json.Unmarshal(p, &s) == nil {
				b.WriteString(string(s))
			}
		}
		*t = flexText(b.String())
	case data[0] == '{':
		var part struct {
			Text flexText `json:"text"`
		}
		if err := json.Unmarshal(data, &part); err != nil {
			return err
		}
		*t = part.Text
	default:
		*t = flexText(data) // a number or bool, stringified
	}
	return nil
}
