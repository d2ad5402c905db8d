package httpapi

import (
	"encoding/json"
	"strings"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// skippedItems are the Responses input item types dropped from the
// conversation. A `reasoning` item is the previous turn's private reasoning
// (often encrypted for the provider that wrote it): Chat Completions and
// Ollama have no slot for it, and the visible answer and tool calls of that
// turn arrive as their own items, so nothing the upstream needs is lost.
// `item_reference` points into OpenAI's server-side store, which Chorus does
// not keep.
var skippedItems = map[string]bool{"reasoning": true, "item_reference": true}

// functionCall turns a `function_call` input item into an assistant tool
// call. Consecutive calls (parallel tool calls) join one assistant turn, as
// Chat Completions sends them; a call right after assistant text joins that
// turn too.
func (b *convBuilder) functionCall(obj map[string]any) {
	b.flush()
	name, _ := obj["name"].(string)
	callID, _ := obj["call_id"].(string)
	if callID == "" {
		callID, _ = obj["id"].(string)
	}
	args, _ := obj["arguments"].(string)
	if name == "" {
		return
	}
	n := len(b.msgs)
	if n == 0 || b.msgs[n-1].Role != domain.RoleAssistant {
		b.msgs = append(b.msgs, domain.Message{Role: domain.RoleAssistant})
		n++
	}
	last := &b.msgs[n-1]
	last.ToolCalls = append(last.ToolCalls, domain.ToolCall{Index: len(last.ToolCalls), ID: callID, Name: name, Arguments: args})
}

// functionOutput turns a `function_call_output` item into a tool result
// turn. Its name is the called function's (Ollama's tool_name), looked up
// from the matching call when the item does not carry one.
func (b *convBuilder) functionOutput(obj map[string]any) {
	b.flush()
	callID, _ := obj["call_id"].(string)
	name, _ := obj["name"].(string)
	if name == "" {
		name = b.callName(callID)
	}
	var out string
	switch o := obj["output"].(type) {
	case string:
		out = o
	default:
		out = plainText(o, 0)
	}
	b.msgs = append(b.msgs, domain.Message{Role: domain.RoleTool, ToolCallID: callID, Name: name, Content: out,
		Images: contentImages(obj["output"], 0)})
}

// callName finds the function name of an earlier tool call by its id.
func (b *convBuilder) callName(id string) string {
	for i := len(b.msgs) - 1; i >= 0 && id != ""; i-- {
		for _, tc := range b.msgs[i].ToolCalls {
			if tc.ID == id {
				return tc.Name
			}
		}
	}
	return ""
}

// contentImages collects the image URLs of content parts: Responses
// `input_image` ({"image_url": "<url>"}) and chat-style `image_url`
// ({"image_url": {"url": "<url>"}}). A file_id image cannot be fetched
// without OpenAI's file store and is left out.
func contentImages(v any, depth int) []string {
	parts, ok := v.([]any)
	if !ok || depth > maxPromptDepth {
		return nil
	}
	var out []string
	for _, p := range parts {
		obj, ok := p.(map[string]any)
		if !ok {
			continue
		}
		switch obj["type"] {
		case "input_image", "image_url":
		default:
			continue
		}
		switch u := obj["image_url"].(type) {
		case string:
			if u != "" {
				out = append(out, u)
			}
		case map[string]any:
			if s, _ := u["url"].(string); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// chatResponseFormat converts Responses `text.format` into the Chat
// Completions response_format every upstream adapter reads: json_object
// stays as it is, json_schema moves name/schema/strict/description under
// "json_schema"; "text" (the default) needs no format.
func chatResponseFormat(t *openaiwire.ResponsesText) (domain.RawJSON, error) {
	if t == nil || t.Format == nil {
		return nil, nil
	}
	f := t.Format
	switch strings.TrimSpace(f.Type) {
	case "", "text":
		return nil, nil
	case "json_object":
		return domain.RawJSON(`{"type":"json_object"}`), nil
	case "json_schema":
		if len(f.Schema) == 0 {
			return nil, badRequest("text.format.schema is required for json_schema")
		}
		type schemaBody struct {
			Name        string          `json:"name"`
			Description string          `json:"description,omitempty"`
			Schema      json.RawMessage `json:"schema"`
			Strict      *bool           `json:"strict,omitempty"`
		}
		out, err := json.Marshal(struct {
			Type       string     `json:"type"`
			JSONSchema schemaBody `json:"json_schema"`
		}{"json_schema", schemaBody{Name: f.Name, Description: f.Description, Schema: f.Schema, Strict: f.Strict}})
		if err != nil {
			return nil, badRequest("text.format: %s", err.Error())
		}
		return out, nil
	}
	return nil, badRequest("text.format.type %q is not supported", f.Type)
}
