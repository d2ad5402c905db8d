package httpapi

import (
	"net/http"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// responseObject is the Responses API response object with Chorus's
// include_workflow extension.
type responseObject struct {
	openaiwire.Response
	Workflow *workflowJSON `json:"workflow,omitempty"`
}

// responseEvent is every streamed Responses event but `error`.
type responseEvent = openaiwire.ResponseEvent[responseObject]

func responseUsageOf(u domain.Usage) *openaiwire.ResponseUsage {
	return &openaiwire.ResponseUsage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, TotalTokens: u.Total()}
}

// responseErrorCode maps an error row to OpenAI's closed ResponseErrorCode
// enum: a rate limit keeps its meaning, everything else is server_error.
func responseErrorCode(he httpError) string {
	if he.status == http.StatusTooManyRequests {
		return "rate_limit_exceeded"
	}
	return "server_error"
}

// responseOutput builds the output items of a finished response.
func (s *Server) responseOutput(msgID string, res domain.ChatResult) []openaiwire.OutputItem {
	out := make([]openaiwire.OutputItem, 0, 2+len(res.ToolCalls))
	if res.Reasoning != "" {
		out = append(out, reasoningItem(s.ids.next("rs_"), "completed", res.Reasoning))
	}
	if res.Text != "" || len(res.ToolCalls) == 0 {
		out = append(out, openaiwire.OutputItem{Type: "message", ID: msgID, Status: "completed", Role: "assistant",
			Content: []openaiwire.Part{openaiwire.OutputText(res.Text)}})
	}
	for _, tc := range res.ToolCalls {
		out = append(out, functionCallItem(s.ids.next("fc_"), tc))
	}
	return out
}

func functionCallItem(id string, tc domain.ToolCall) openaiwire.OutputItem {
	callID := tc.ID
	if callID == "" {
		callID = id
	}
	args := tc.Arguments
	if args == "" {
		args = "{}"
	}
	return openaiwire.OutputItem{Type: "function_call", ID: id, Status: "completed", CallID: callID, Name: tc.Name, Arguments: &args}
}
