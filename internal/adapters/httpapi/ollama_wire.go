package httpapi

import (
	"encoding/json"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// ollamaChunk is every Ollama response object: stream chunks, the final
// done object and non-stream bodies. Chat sets Message, generate Response.
type ollamaChunk struct {
	Model     string            `json:"model"`
	CreatedAt string            `json:"created_at"`
	Message   *ollamaOutMessage `json:"message,omitempty"`
	Response  *string           `json:"response,omitempty"`
	Thinking  string            `json:"thinking,omitempty"`
	Done      bool              `json:"done"`
	*ollamaStats
	Workflow *workflowJSON `json:"workflow,omitempty"`
}

// ollamaOutMessage is the assistant message of a chat chunk.
type ollamaOutMessage struct {
	Role      string              `json:"role"`
	Content   string              `json:"content"`
	Thinking  string              `json:"thinking,omitempty"`
	ToolCalls []ollamaOutToolCall `json:"tool_calls,omitempty"`
}

// ollamaOutToolCall has arguments as a JSON object, as Ollama clients expect.
type ollamaOutToolCall struct {
	ID       string `json:"id,omitempty"`
	Function struct {
		Index     int             `json:"index"`
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"function"`
}

// ollamaStats are the final object's fields; durations in nanoseconds.
type ollamaStats struct {
	DoneReason         string `json:"done_reason"`
	TotalDuration      int64  `json:"total_duration"`
	LoadDuration       int64  `json:"load_duration"`
	PromptEvalCount    int    `json:"prompt_eval_count"`
	PromptEvalDuration int64  `json:"prompt_eval_duration"`
	EvalCount          int    `json:"eval_count"`
	EvalDuration       int64  `json:"eval_duration"`
}

// ollamaError is real Ollama's error: the in-stream error line of Ollama
// streams and the body Ollama's own clients get (see isOllamaSDK).
type ollamaError struct {
	Error string `json:"error"`
}

// ollamaDoneReason maps a finish reason to Ollama's done_reason.
func ollamaDoneReason(finish string) string {
	if finish == domain.FinishLength {
		return "length"
	}
	return "stop"
}

// ollamaToolCalls converts tool calls, turning argument text into an object.
func ollamaToolCalls(calls []domain.ToolCall) []ollamaOutToolCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]ollamaOutToolCall, len(calls))
	for i, tc := range calls {
		out[i].ID = tc.ID
		out[i].Function.Index = tc.Index
		out[i].Function.Name = tc.Name
		out[i].Function.Arguments = argsObject(tc.Arguments)
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

func (t *ollamaTimes) stats(now time.Time, res domain.ChatResult) *ollamaStats {
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
	return &ollamaStats{
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
