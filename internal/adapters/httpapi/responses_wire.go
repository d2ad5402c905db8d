package httpapi

import (
	"net/http"

	"github.com/chorus-ai/chorus/internal/domain"
)

// responseObject is the Responses API `response` object.
type responseObject struct {
	ID         string         `json:"id"`
	Object     string         `json:"object"`
	CreatedAt  int64          `json:"created_at"`
	Status     string         `json:"status"`
	Model      string         `json:"model"`
	Output     []responseItem `json:"output"`
	OutputText string         `json:"output_text"`
	Error      *responseError `json:"error"`
	Usage      *responseUsage `json:"usage,omitempty"`
	Workflow   *workflowJSON  `json:"workflow,omitempty"`
	responseSettings
}

// responseUsage is ResponseUsage: the trace's usage plus the token details
// OpenAI requires (Chorus's upstreams report neither, so they are zero).
type responseUsage struct {
	usageJSON
	InputTokensDetails struct {
		CachedTokens     int `json:"cached_tokens"`
		CacheWriteTokens int `json:"cache_write_tokens"`
	} `json:"input_tokens_details"`
	OutputTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
}

func responseUsageOf(u domain.Usage) *responseUsage {
	return &responseUsage{usageJSON: usageOf(u)}
}

// responseItem is an output item: a message or a function call.
type responseItem struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Status string `json:"status"`
	Role   string `json:"role,omitempty"`
	// Content is omitted for function_call items (nil) but sent as [] on a
	// message item that has no part yet: openai-node's stream accumulator
	// iterates it on output_item.added.
	Content []responsePart `json:"content,omitzero"`
	// Summary holds a reasoning item's summary_text parts; sent as [] on
	// output_item.added (non-nil), omitted on other items (nil).
	Summary []responsePart `json:"summary,omitzero"`
	// function_call items; Arguments is a pointer so that "" is still sent.
	CallID    string  `json:"call_id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Arguments *string `json:"arguments,omitempty"`
}

// responsePart is an output_text content part or, with nil annotations and
// logprobs, a reasoning item's summary_text part. An output_text part
// always sends both lists (non-nil): logprobs is required and Chorus has
// none to report, so it is [].
type responsePart struct {
	Type        string   `json:"type"`
	Text        string   `json:"text"`
	Annotations []string `json:"annotations,omitzero"`
	Logprobs    []string `json:"logprobs,omitzero"`
}

// responseError is set on failed responses; Code is one of the closed
// ResponseErrorCode values (responseErrorCode).
type responseError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// responseErrorCode maps an error row to OpenAI's closed ResponseErrorCode
// enum: a rate limit keeps its meaning, everything else is server_error.
func responseErrorCode(he httpError) string {
	if he.status == http.StatusTooManyRequests {
		return "rate_limit_exceeded"
	}
	return "server_error"
}

// responseEvent is every streamed Responses event; unused fields are omitted.
type responseEvent struct {
	Type           string          `json:"type"`
	SequenceNumber int             `json:"sequence_number"`
	Response       *responseObject `json:"response,omitempty"`
	OutputIndex    *int            `json:"output_index,omitempty"`
	ContentIndex   *int            `json:"content_index,omitempty"`
	SummaryIndex   *int            `json:"summary_index,omitempty"`
	ItemID         string          `json:"item_id,omitempty"`
	Item           *responseItem   `json:"item,omitempty"`
	Part           *responsePart   `json:"part,omitempty"`
	Delta          *string         `json:"delta,omitempty"`
	Text           *string         `json:"text,omitempty"`
	Arguments      *string         `json:"arguments,omitempty"`
	Name           string          `json:"name,omitempty"`     // function_call_arguments.done
	Logprobs       *[]string       `json:"logprobs,omitempty"` // pointer: an empty list must still be sent
}

// responseErrorEvent is the `error` event; code and param are required
// (nullable), so it is not a responseEvent with omitempty fields.
type responseErrorEvent struct {
	Type           string  `json:"type"`
	SequenceNumber int     `json:"sequence_number"`
	Code           string  `json:"code"`
	Message        string  `json:"message"`
	Param          *string `json:"param"`
}

// outputText returns a completed output_text part.
func outputText(text string) responsePart {
	return responsePart{Type: "output_text", Text: text, Annotations: []string{}, Logprobs: []string{}}
}

// responseOutput builds the output items of a finished response.
func (s *Server) responseOutput(msgID string, res domain.ChatResult) []responseItem {
	out := make([]responseItem, 0, 2+len(res.ToolCalls))
	if res.Reasoning != "" {
		out = append(out, reasoningItem(s.ids.next("rs_"), "completed", res.Reasoning))
	}
	if res.Text != "" || len(res.ToolCalls) == 0 {
		out = append(out, responseItem{Type: "message", ID: msgID, Status: "completed", Role: "assistant",
			Content: []responsePart{outputText(res.Text)}})
	}
	for _, tc := range res.ToolCalls {
		out = append(out, functionCallItem(s.ids.next("fc_"), tc))
	}
	return out
}

func functionCallItem(id string, tc domain.ToolCall) responseItem {
	callID := tc.ID
	if callID == "" {
		callID = id
	}
	args := tc.Arguments
	if args == "" {
		args = "{}"
	}
	return responseItem{Type: "function_call", ID: id, Status: "completed", CallID: callID, Name: tc.Name, Arguments: &args}
}
