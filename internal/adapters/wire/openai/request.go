package openai

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/chorus-ai/chorus/internal/adapters/internal/jsonstr"
)

// ChatRequest is the Chat Completions request body (CreateChatCompletionRequest).
type ChatRequest struct {
	Params
	Messages []Message `json:"messages"`
}

// Params are the fields the chat and legacy completions requests share:
// the model, streaming and the sampling and output parameters.
type Params struct {
	Model               string          `json:"model"`
	Stream              bool            `json:"stream,omitempty"`
	StreamOptions       *StreamOptions  `json:"stream_options,omitempty"`
	Temperature         *float64        `json:"temperature,omitempty"`
	TopP                *float64        `json:"top_p,omitempty"`
	MaxTokens           *int            `json:"max_tokens,omitempty"`
	MaxCompletionTokens *int            `json:"max_completion_tokens,omitempty"`
	Stop                Stop            `json:"stop,omitempty"`
	Seed                *int            `json:"seed,omitempty"`
	PresencePenalty     *float64        `json:"presence_penalty,omitempty"`
	FrequencyPenalty    *float64        `json:"frequency_penalty,omitempty"`
	Tools               []Tool          `json:"tools,omitempty"`
	ToolChoice          json.RawMessage `json:"tool_choice,omitempty"`
	ParallelToolCalls   *bool           `json:"parallel_tool_calls,omitempty"`
	ResponseFormat      json.RawMessage `json:"response_format,omitempty"`
}

// IncludeUsage reports whether a usage chunk was requested.
func (p Params) IncludeUsage() bool {
	return p.StreamOptions != nil && p.StreamOptions.IncludeUsage
}

// StreamOptions asks for the final usage chunk.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// Message is one request message; Content is a string, a list of content
// parts (with images) or nil (an assistant turn with only tool calls).
type Message struct {
	Role       string     `json:"role"`
	Content    any        `json:"content"`
	Name       string     `json:"name,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

// ContentPart is a text or image part of a multimodal message.
type ContentPart struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	ImageURL *ImageURL `json:"image_url,omitempty"`
}

// ImageURL is an image part's URL (http(s) or data URL).
type ImageURL struct {
	URL string `json:"url"`
}

// ToolCall is a tool call in a request message or a response (where stream
// fragments carry Index, also when it is 0, and pieces of Arguments).
type ToolCall struct {
	Index    *int         `json:"index,omitempty"` // stream fragments only
	ID       string       `json:"id,omitempty"`
	Type     string       `json:"type,omitempty"`
	Function FunctionCall `json:"function"`
}

// FunctionCall is the called function and its JSON arguments text.
type FunctionCall struct {
	Name      string `json:"name,omitempty"`
	Arguments Args   `json:"arguments"`
}

// Tool is a function offered to the model, in the OpenAI shape that both
// OpenAI-compatible servers and Ollama accept.
type Tool struct {
	Type     string       `json:"type"`
	Function ToolFunction `json:"function"`
}

// ToolFunction describes a tool's function.
type ToolFunction struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

// Args decodes tool arguments sent as a JSON string (the standard) or, by
// some providers, as a raw object; either way it holds the JSON text.
type Args string

// UnmarshalJSON implements json.Unmarshaler.
func (a *Args) UnmarshalJSON(data []byte) error {
	if ok, err := stringOrNull(data, (*string)(a)); ok {
		return err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		return err
	}
	*a = Args(b.String())
	return nil
}

// stringOrNull decodes a JSON string into *dst, or null as ""; it reports
// false, leaving *dst alone, for any other value.
func stringOrNull(data []byte, dst *string) (bool, error) {
	switch {
	case len(data) == 0 || data[0] == 'n':
		*dst = ""
		return true, nil
	case data[0] == '"':
		return true, jsonstr.Decode(data, dst)
	}
	return false, nil
}

// ErrStop is the decoding error of a "stop" that is neither a string nor a
// list of strings.
var ErrStop = errors.New(`field "stop" must be a string or an array of strings`)

// Stop is "stop": one sequence or a list of them (sent as a list).
type Stop []string

// UnmarshalJSON implements json.Unmarshaler.
func (s *Stop) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case 'n':
		*s = nil
		return nil
	case '"':
		var one string
		if err := jsonstr.Decode(b, &one); err != nil {
			return err
		}
		*s = Stop{one}
		return nil
	case '[':
		var many []string
		if err := json.Unmarshal(b, &many); err != nil {
			return ErrStop
		}
		*s = many
		return nil
	}
	return ErrStop
}

// firstByte returns the first non-space byte of a JSON value (0 if none).
func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
