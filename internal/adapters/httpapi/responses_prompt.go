package httpapi

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// msgMissingInput is the exact 400 message of a Responses request without text.
const msgMissingInput = "invalid request: missing input/messages/prompt/instructions"

// maxPromptDepth bounds recursion through nested content/parts/messages.
const maxPromptDepth = 64

// responsesPromptFields are the raw parts of a Responses body the
// conversation is built from, in the order they are read.
type responsesPromptFields struct {
	Instructions json.RawMessage `json:"instructions"`
	Messages     json.RawMessage `json:"messages"`
	Input        json.RawMessage `json:"input"`
	Prompt       json.RawMessage `json:"prompt"`
	InputText    json.RawMessage `json:"input_text"`
}

// responsesConversation builds the conversation as the original did (§7.3),
// but keeps roles as real messages: instructions become a system message,
// role-bearing items become messages of that role, and every other piece of
// text becomes user text (consecutive pieces merged with "\n").
func responsesConversation(f responsesPromptFields) ([]domain.Message, error) {
	var b convBuilder
	if s, ok := parseLoose(f.Instructions).(string); ok {
		if t := strings.TrimSpace(s); t != "" {
			b.message("system", t)
		}
	}
	b.items(parseLoose(f.Messages))
	switch v := parseLoose(f.Input).(type) {
	case string:
		b.text(strings.TrimSpace(v))
	default:
		b.items(v)
	}
	b.text(plainText(parseLoose(f.Prompt), 0))
	b.text(plainText(parseLoose(f.InputText), 0))
	b.flush()
	if len(b.msgs) == 0 {
		return nil, domain.InvalidRequest(msgMissingInput)
	}
	return b.msgs, nil
}

// parseLoose decodes any JSON value (nil for absent or invalid).
func parseLoose(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return v
}

// convBuilder accumulates messages, merging consecutive loose text.
type convBuilder struct {
	msgs    []domain.Message
	pending []string
}

func (b *convBuilder) text(s string) {
	if s != "" {
		b.pending = append(b.pending, s)
	}
}

func (b *convBuilder) flush() {
	if len(b.pending) > 0 {
		b.msgs = append(b.msgs, domain.Message{Role: domain.RoleUser, Content: strings.Join(b.pending, "\n")})
		b.pending = b.pending[:0]
	}
}

func (b *convBuilder) message(role, text string) {
	b.flush()
	b.msgs = append(b.msgs, domain.Message{Role: responsesRole(role), Content: text})
}

// items reads an array (each element), an object (one element) or a scalar.
func (b *convBuilder) items(v any) {
	if arr, ok := v.([]any); ok {
		for _, it := range arr {
			b.item(it)
		}
		return
	}
	b.item(v)
}

// item adds a message when v is an object with a string role and text (or
// images), a tool call or a tool result for the function-call item types,
// nothing for the item types that carry no conversation (see skippedItems),
// else its plain text.
func (b *convBuilder) item(v any) {
	if obj, ok := v.(map[string]any); ok {
		typ, _ := obj["type"].(string)
		switch {
		case typ == "function_call":
			b.functionCall(obj)
			return
		case typ == "function_call_output":
			b.functionOutput(obj)
			return
		case skippedItems[typ]:
			return
		}
		if role, ok := obj["role"].(string); ok {
			images := contentImages(obj["content"], 0)
			if t := plainText(obj["content"], 0); t != "" || len(images) > 0 {
				b.message(role, t)
				b.msgs[len(b.msgs)-1].Images = images
				return
			}
			if s, ok := obj["text"].(string); ok && strings.TrimSpace(s) != "" {
				b.message(role, strings.TrimSpace(s))
				return
			}
		}
	}
	b.text(plainText(v, 0))
}

// plainText applies the original's plain-text rules to any JSON value.
func plainText(v any, depth int) string {
	if depth > maxPromptDepth {
		return ""
	}
	switch t := v.(type) {
	case bool:
		if t {
			return "true"
		}
		return "false"
	case json.Number:
		return t.String()
	case string:
		return strings.TrimSpace(t)
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			if s := plainText(e, depth+1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "\n")
	case map[string]any:
		return objectText(t, depth)
	}
	return ""
}

// objectText: the first non-empty string among text, input_text, value,
// output_text; else the text of content, then parts, then messages.
func objectText(obj map[string]any, depth int) string {
	for _, k := range [...]string{"text", "input_text", "value", "output_text"} {
		if s, ok := obj[k].(string); ok {
			if s = strings.TrimSpace(s); s != "" {
				return s
			}
		}
	}
	for _, k := range [...]string{"content", "parts", "messages"} {
		if s := plainText(obj[k], depth+1); s != "" {
			return s
		}
	}
	return ""
}

// responsesRole maps a Responses role; unknown roles count as user text.
func responsesRole(role string) domain.Role {
	switch role {
	case "system", "developer":
		return domain.RoleSystem
	case "assistant":
		return domain.RoleAssistant
	}
	return domain.RoleUser
}
