package openai

import "encoding/json"

// Response is the Responses API response object, in a body and inside the
// response.* stream events.
type Response struct {
	ID         string         `json:"id"`
	Object     string         `json:"object"`
	CreatedAt  int64          `json:"created_at"`
	Status     string         `json:"status"`
	Model      string         `json:"model"`
	Output     []OutputItem   `json:"output"`
	OutputText string         `json:"output_text"`
	Error      *ResponseError `json:"error"`
	Usage      *ResponseUsage `json:"usage,omitempty"`
	ResponseSettings
}

// ResponseSettings are the request settings every Response echoes; OpenAI
// requires each of them (null where nothing was set).
type ResponseSettings struct {
	Instructions      json.RawMessage   `json:"instructions"` // nil: null
	Tools             []FunctionTool    `json:"tools"`
	ToolChoice        json.RawMessage   `json:"tool_choice"`
	ParallelToolCalls bool              `json:"parallel_tool_calls"`
	Temperature       *float64          `json:"temperature"`
	TopP              *float64          `json:"top_p"`
	Metadata          map[string]string `json:"metadata"`
	IncompleteDetails *struct{}         `json:"incomplete_details"` // always null: Chorus never truncates
}

// FunctionTool is a function tool as a Response echoes it.
type FunctionTool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Parameters  json.RawMessage `json:"parameters"` // nil: null
	Strict      *bool           `json:"strict"`
}

// ResponseUsage is a Response's usage with the token details OpenAI
// requires (Chorus's upstreams report neither, so they are zero).
type ResponseUsage struct {
	InputTokens        int `json:"input_tokens"`
	OutputTokens       int `json:"output_tokens"`
	TotalTokens        int `json:"total_tokens"`
	InputTokensDetails struct {
		CachedTokens     int `json:"cached_tokens"`
		CacheWriteTokens int `json:"cache_write_tokens"`
	} `json:"input_tokens_details"`
	OutputTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
}

// OutputItem is an output item: a message, a reasoning item or a function
// call.
type OutputItem struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Status string `json:"status"`
	Role   string `json:"role,omitempty"`
	// Content is omitted for function_call items (nil) but sent as [] on a
	// message item that has no part yet: openai-node's stream accumulator
	// iterates it on output_item.added.
	Content []Part `json:"content,omitzero"`
	// Summary holds a reasoning item's summary_text parts; sent as [] on
	// output_item.added (non-nil), omitted on other items (nil).
	Summary []Part `json:"summary,omitzero"`
	// function_call items; Arguments is a pointer so that "" is still sent.
	CallID    string  `json:"call_id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Arguments *string `json:"arguments,omitempty"`
}

// Part is an output_text content part or, with nil annotations and
// logprobs, a reasoning item's summary_text part. An output_text part
// always sends both lists (non-nil): logprobs is required.
type Part struct {
	Type        string   `json:"type"`
	Text        string   `json:"text"`
	Annotations []string `json:"annotations,omitzero"`
	Logprobs    []string `json:"logprobs,omitzero"`
}

// OutputText is a completed output_text part (no annotations or logprobs
// to report, so both are []).
func OutputText(text string) Part {
	return Part{Type: "output_text", Text: text, Annotations: []string{}, Logprobs: []string{}}
}

// ResponseError is set on failed responses; Code is one of the closed
// ResponseErrorCode values.
type ResponseError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ResponseEvent is every streamed Responses event but `error`; unused
// fields are omitted. R is the response object the response.* events carry
// (Response, or an adapter's extension of it).
type ResponseEvent[R any] struct {
	Type           string      `json:"type"`
	SequenceNumber int         `json:"sequence_number"`
	Response       *R          `json:"response,omitempty"`
	OutputIndex    *int        `json:"output_index,omitempty"`
	ContentIndex   *int        `json:"content_index,omitempty"`
	SummaryIndex   *int        `json:"summary_index,omitempty"`
	ItemID         string      `json:"item_id,omitempty"`
	Item           *OutputItem `json:"item,omitempty"`
	Part           *Part       `json:"part,omitempty"`
	Delta          *string     `json:"delta,omitempty"`
	Text           *string     `json:"text,omitempty"`
	Arguments      *string     `json:"arguments,omitempty"`
	Name           string      `json:"name,omitempty"`     // function_call_arguments.done
	Logprobs       *[]string   `json:"logprobs,omitempty"` // pointer: an empty list must still be sent
}

// ResponseErrorEvent is the `error` event; code and param are required
// (nullable), so it is not a ResponseEvent with omitempty fields.
type ResponseErrorEvent struct {
	Type           string  `json:"type"`
	SequenceNumber int     `json:"sequence_number"`
	Code           string  `json:"code"`
	Message        string  `json:"message"`
	Param          *string `json:"param"`
}
