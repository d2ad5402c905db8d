package fakeupstream

import (
	"encoding/json"
	"net/http"
	"strings"

	ollamawire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// Protocol is the wire format a request arrived in.
type Protocol string

// Protocols served by a Server.
const (
	ProtocolOpenAI Protocol = "openai"
	ProtocolOllama Protocol = "ollama"
)

// Kind is what the fake thinks a request is for, judged from its prompt.
type Kind string

// Request kinds.
const (
	// KindAnalyzer is the workflow analyzer asking for a temperature JSON.
	KindAnalyzer Kind = "analyzer"
	// KindSelector is the workflow selector asking for a selected_index (the
	// original's prompt) or a "choice" letter (Chorus' default prompt) JSON.
	KindSelector Kind = "selector"
	// KindToolCall is a request with tools whose last user message contains ToolTrigger.
	KindToolCall Kind = "tool_call"
	// KindToolResult is a request with tools whose last message is a tool
	// result: the fake answers text quoting it, which ends a tool loop.
	KindToolResult Kind = "tool_result"
	// KindChat is anything else (workers, synthesizer, passthrough).
	KindChat Kind = "chat"
)

// ToolTrigger in the last user message of a request that offers tools makes
// the fake answer with a call to the first tool instead of text.
const ToolTrigger = "USE_TOOL"

// Message is one received chat message.
type Message struct {
	Role       string
	Content    string
	ToolCallID string   // OpenAI tool results
	ToolName   string   // Ollama tool results
	ToolCalls  []string // names of the functions an assistant turn called
	Images     int      // images attached (OpenAI image_url parts, Ollama images)
}

// Request is one received upstream call, as recorded by the Server.
type Request struct {
	Seq          int64 // 1-based arrival order
	Protocol     Protocol
	Path         string
	Model        string
	Messages     []Message
	Temperature  *float64
	MaxTokens    *int
	TopP         *float64
	Stream       bool
	IncludeUsage bool
	Tools        []string // function names offered
	ToolChoice   json.RawMessage
	// ParallelToolCalls is OpenAI's parallel_tool_calls as received.
	ParallelToolCalls *bool
	// ResponseFormat is OpenAI's response_format or Ollama's format.
	ResponseFormat json.RawMessage
	Auth           string // the Authorization header as received
	// Method, Header and Body are the raw request (Config.Handler only).
	Method string
	Header http.Header
	Body   []byte
	Kind   Kind
	Fault  Fault // the fault injected, FaultNone when answered normally
}

// LastUser returns the content of the last user message ("" when none).
func (r Request) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// Classify decides the Kind of a request from its messages and tools.
func Classify(messages []Message, tools []string) Kind {
	all := joinContents(messages)
	last := ""
	for i := len(messages) - 1; i >= 0; i-- {
		if messages[i].Role == "user" {
			last = messages[i].Content
			break
		}
	}
	switch {
	case strings.Contains(all, "selected_index") || strings.Contains(all, `"choice"`):
		return KindSelector
	case strings.Contains(all, `"temperature"`) || strings.Contains(all, "请分析以下用户提示"):
		return KindAnalyzer
	case len(tools) > 0 && len(messages) > 0 && messages[len(messages)-1].Role == "tool":
		return KindToolResult
	case len(tools) > 0 && strings.Contains(last, ToolTrigger):
		return KindToolCall
	default:
		return KindChat
	}
}

func joinContents(messages []Message) string {
	var b strings.Builder
	for _, m := range messages {
		b.WriteString(m.Content)
		b.WriteByte('\n')
	}
	return b.String()
}

// contentText flattens a string or an array of content parts to text.
func contentText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []contentPart
	if json.Unmarshal(raw, &parts) == nil {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.Text)
		}
		return b.String()
	}
	return string(raw)
}

// contentPart is an OpenAI content part (text or image_url).
type contentPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// imageParts counts the image_url parts of OpenAI content.
func imageParts(raw json.RawMessage) int {
	var parts []contentPart
	if json.Unmarshal(raw, &parts) != nil {
		return 0
	}
	n := 0
	for _, p := range parts {
		if p.Type == "image_url" {
			n++
		}
	}
	return n
}

// convertOpenAIMessages records Chat Completions messages; content is a
// string or a list of parts.
func convertOpenAIMessages(in []openaiwire.Message) []Message {
	out := make([]Message, 0, len(in))
	for _, m := range in {
		raw, _ := json.Marshal(m.Content) // decoded JSON re-encodes
		msg := Message{Role: m.Role, Content: contentText(raw), ToolCallID: m.ToolCallID, Images: imageParts(raw)}
		for _, tc := range m.ToolCalls {
			msg.ToolCalls = append(msg.ToolCalls, tc.Function.Name)
		}
		out = append(out, msg)
	}
	return out
}

// convertOllamaMessages records Ollama chat messages.
func convertOllamaMessages(in []ollamawire.Message) []Message {
	out := make([]Message, 0, len(in))
	for _, m := range in {
		msg := Message{Role: m.Role, Content: m.Content, ToolName: m.ToolName, Images: len(m.Images)}
		for _, tc := range m.ToolCalls {
			msg.ToolCalls = append(msg.ToolCalls, tc.Function.Name)
		}
		out = append(out, msg)
	}
	return out
}

func toolNames(in []openaiwire.Tool) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, 0, len(in))
	for _, t := range in {
		out = append(out, t.Function.Name)
	}
	return out
}
