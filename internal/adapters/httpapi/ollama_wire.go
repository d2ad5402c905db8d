package httpapi

import (
	"encoding/json"
	"time"

	ollamawire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	"github.com/chorus-ai/chorus/internal/domain"
)

// ollamaChunk is every Ollama answer object Chorus renders, with Chorus's
// include_workflow extension.
type ollamaChunk struct {
	ollamawire.Chunk
	Workflow *workflowJSON `json:"workflow,omitempty"`
}

// ollamaDoneReason maps a finish reason to Ollama's done_reason.
func ollamaDoneReason(finish string) string {
	if finish == domain.FinishLength {
		return "length"
	}
	return "stop"
}

// ollamaToolCalls converts tool calls, turning argument text into an object.
func ollamaToolCalls(calls []domain.ToolCall) []ollamawire.ToolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]ollamawire.ToolCall, len(calls))
	for i, tc := range calls {
		idx := tc.Index
		out[i] = ollamawire.ToolCall{ID: tc.ID, Function: ollamawire.Function{Index: &idx, Name: tc.Name, Arguments: argsObject(tc.Arguments)}}
	}
	return out
}

// argsObject returns argument text as a JSON object, wrapping text that is
// not one so the client still gets valid JSON.
func argsObject(args string) json.RawMessage {
	if args == "" {
		return json.RawMessage(`{}`)
	}
	if json.Valid([]byte(args)) && firstByte([]byte(args)) == '{' {
		return json.RawMessage(args)
	}
	b, _ := json.Marshal(map[string]string{"_raw": args}) // marshaling a string map cannot fail
	return b
}

// ollamaTimes measures the phases reported in the final object.
type ollamaTimes struct {
	start, first time.Time
}

func (t *ollamaTimes) markFirst(now time.Time) {
	if t.first.IsZero() {
		t.first = now
	}
}

func (t *ollamaTimes) stats(now time.Time, res domain.ChatResult) *ollamawire.Stats {
	// Without a first token (non-stream) the whole time counts as
	// generation; clients divide eval_count by eval_duration for tokens/s,
	// so it is never 0 when tokens were produced.
	first := t.first
	if first.IsZero() {
		first = t.start
	}
	eval := now.Sub(first).Nanoseconds()
	if eval <= 0 && res.Usage.OutputTokens > 0 {
		eval = 1
	}
	return &ollamawire.Stats{
		DoneReason:         ollamaDoneReason(res.FinishReason),
		TotalDuration:      now.Sub(t.start).Nanoseconds(),
		PromptEvalCount:    res.Usage.InputTokens,
		PromptEvalDuration: first.Sub(t.start).Nanoseconds(),
		EvalCount:          res.Usage.OutputTokens,
		EvalDuration:       eval,
	}
}

// rfc3339 formats Ollama's created_at.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
