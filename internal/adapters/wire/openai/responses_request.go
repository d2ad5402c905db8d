package openai

import "encoding/json"

// ResponsesRequest is what Chorus reads of a Responses request body
// (CreateResponse) besides the conversation (instructions, input), which
// the inbound adapter builds from the raw fields.
type ResponsesRequest struct {
	Model             string            `json:"model"`
	Stream            bool              `json:"stream"`
	Temperature       *float64          `json:"temperature"`
	TopP              *float64          `json:"top_p"`
	MaxOutputTokens   *int              `json:"max_output_tokens"`
	Tools             []ResponsesTool   `json:"tools"`
	ToolChoice        json.RawMessage   `json:"tool_choice"`
	ParallelToolCalls *bool             `json:"parallel_tool_calls"`
	Text              *ResponsesText    `json:"text"`
	Metadata          map[string]string `json:"metadata"` // echoed on the Response only
}

// ResponsesTool is the Responses API's flat function tool (name at top
// level); a Chat-style tool ({"type":"function","function":{…}}) is read
// too.
type ResponsesTool struct {
	Type string `json:"type"`
	ToolFunction
	Function *ToolFunction `json:"function"`
}

// ResponsesText is the Responses `text` parameter; only its format matters
// to upstreams.
type ResponsesText struct {
	Format *TextFormat `json:"format"`
}

// TextFormat is text.format: text, json_object or json_schema (with its
// name, schema and strictness at top level, unlike Chat's response_format).
type TextFormat struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	Strict      *bool           `json:"strict,omitempty"`
}
