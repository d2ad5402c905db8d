package upstream

import (
	"encoding/json"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// FloatPtr returns a pointer for a set value, nil otherwise (an omitted
// JSON field).
func FloatPtr(o domain.OptFloat) *float64 {
	if !o.Set {
		return nil
	}
	v := o.Value
	return &v
}

// IntPtr returns a pointer for a set value, nil otherwise (an omitted
// JSON field).
func IntPtr(o domain.OptInt) *int {
	if !o.Set {
		return nil
	}
	v := o.Value
	return &v
}

// IsSet reports whether a raw JSON value is present and not null.
func IsSet(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// ErrorField turns the raw "error" value of a body or stream chunk into an
// LLMError, or nil when it is absent or null.
func ErrorField(raw json.RawMessage) *domain.LLMError {
	if !IsSet(raw) {
		return nil
	}
	wrapped := make([]byte, 0, len(raw)+10)
	wrapped = append(wrapped, `{"error":`...)
	wrapped = append(wrapped, raw...)
	wrapped = append(wrapped, '}')
	msg, code, _ := ProviderError(wrapped)
	return ProviderFailure(msg, code)
}

// FinishReason defaults an absent finish reason to stop; an answer with
// tool calls reports tool_calls even from providers that say "stop".
func FinishReason(reason string, tools bool) string {
	switch {
	case tools && (reason == "" || reason == domain.FinishStop):
		return domain.FinishToolCalls
	case reason == "":
		return domain.FinishStop
	default:
		return reason
	}
}

// EmptyAnswer reports whether an answer with no text and no tool calls is
// still a real answer: the upstream said it stopped normally (finish_reason
// or done_reason "stop"), so a passthrough relays it as an empty answer
// instead of a 502. Without that word (no reason, "length", a filter) an
// empty body is a broken or cut answer. Workflows still refuse empty
// candidates on their own (app's call).
func EmptyAnswer(rawFinish string) bool { return rawFinish == domain.FinishStop }

// Tool is a function offered to the model, in the OpenAI shape that both
// OpenAI-compatible servers and Ollama accept (held once in wire/openai).
type Tool = openaiwire.Tool

// ToolFunction describes a tool's function.
type ToolFunction = openaiwire.ToolFunction

// Tools converts the request's tools; nil when there are none, so the
// field is omitted.
func Tools(tools []domain.Tool) []Tool {
	if len(tools) == 0 {
		return nil
	}
	out := make([]Tool, len(tools))
	for i, t := range tools {
		out[i] = Tool{Type: "function", Function: ToolFunction{
			Name: t.Name, Description: t.Description, Parameters: json.RawMessage(t.Parameters),
		}}
	}
	return out
}
