package openai

import (
	"bytes"
	"encoding/json"

	"github.com/chorus-ai/chorus/internal/adapters/internal/jsonstr"
	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
)

// chatRequest is the Chat Completions request body.
type chatRequest struct {
	Model            string          `json:"model"`
	Messages         []wireMessage   `json:"messages"`
	Temperature      *float64        `json:"temperature,omitempty"`
	TopP             *float64        `json:"top_p,omitempty"`
	MaxTokens        *int            `json:"max_tokens,omitempty"`
	Stop             []string        `json:"stop,omitempty"`
	Seed             *int            `json:"seed,omitempty"`
	PresencePenalty  *float64        `json:"presence_penalty,omitempty"`
	FrequencyPenalty *float64        `json:"frequency_penalty,omitempty"`
	Tools            []upstream.Tool `json:"tools,omitempty"`
	ToolChoice       json.RawMessage `json:"tool_choice,omitempty"`
	ParallelTools    *bool           `json:"parallel_tool_calls,omitempty"`
	ResponseFormat   json.RawMessage `json:"response_format,omitempty"`
	Stream           bool            `json:"stream,omitempty"`
	StreamOptions    *streamOptions  `json:"stream_options,omitempty"`
}

// streamOptions asks for the final usage chunk.
type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// wireMessage is one request message; Content is a string, a list of
// content parts (with images) or nil (an assistant turn with only tool calls).
type wireMessage struct {
	Role       string         `json:"role"`
	Content    any            `json:"content"`
	Name       string         `json:"name,omitempty"`
	ToolCalls  []wireToolCall `json:"tool_calls,omitempty"`
	ToolCallID string         `json:"tool_call_id,omitempty"`
}

// contentPart is a text or image part of a multimodal message.
type contentPart struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	ImageURL *imageURL `json:"image_url,omitempty"`
}

// imageURL is an image part's URL (http(s) or data URL).
type imageURL struct {
	URL string `json:"url"`
}

// wireToolCall is a tool call in a request message or a response (where
// stream fragments carry Index and pieces of Arguments).
type wireToolCall struct {
	Index    int              `json:"index,omitempty"` // responses only
	ID       string           `json:"id,omitempty"`
	Type     string           `json:"type,omitempty"`
	Function wireFunctionCall `json:"function"`
}

// wireFunctionCall is the called function and its JSON arguments text.
type wireFunctionCall struct {
	Name      string   `json:"name,omitempty"`
	Arguments flexArgs `json:"arguments"`
}

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
	Content          flexText       `json:"content"`
	ReasoningContent flexText       `json:"reasoning_content"`
	Reasoning        flexText       `json:"reasoning"`
	ToolCalls        []wireToolCall `json:"tool_calls"`
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

// flexArgs decodes tool arguments sent as a JSON string (the standard) or,
// by some providers, as a raw object; either way it holds the JSON text.
type flexArgs string

// UnmarshalJSON implements json.Unmarshaler.
func (a *flexArgs) UnmarshalJSON(data []byte) error {
	switch {
	case len(data) == 0 || data[0] == 'n':
		*a = ""
	case data[0] == '"':
		return jsonstr.Decode(data, (*string)(a))
	default:
		var b bytes.Buffer
		if err := json.Compact(&b, data); err != nil {
			return err
		}
		*a = flexArgs(b.String())
	}
	return nil
}
