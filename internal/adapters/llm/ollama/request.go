package ollama

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	"github.com/chorus-ai/chorus/internal/domain"
)

// encodeRequest builds the /api/chat body for a call.
func encodeRequest(model string, call domain.ModelCall, stream bool) ([]byte, error) {
	p := call.Params
	req := chatRequest{
		Model:    model,
		Messages: make([]wire.Message, len(call.Messages)),
		Stream:   stream,
		Format:   format(p.ResponseFormat),
	}
	opts := wire.Options{
		Temperature: upstream.FloatPtr(p.Temperature), TopP: upstream.FloatPtr(p.TopP), NumPredict: upstream.IntPtr(p.MaxTokens),
		Stop: p.Stop, Seed: upstream.IntPtr(p.Seed),
		PresencePenalty: upstream.FloatPtr(p.PresencePenalty), FrequencyPenalty: upstream.FloatPtr(p.FrequencyPenalty),
	}
	if opts.Temperature != nil || opts.TopP != nil || opts.NumPredict != nil || len(opts.Stop) > 0 ||
		opts.Seed != nil || opts.PresencePenalty != nil || opts.FrequencyPenalty != nil {
		req.Options = &opts
	}
	for i, m := range call.Messages {
		req.Messages[i] = encodeMessage(m)
	}
	req.Tools = upstream.Tools(p.Tools)
	return json.Marshal(&req)
}

// encodeMessage converts one domain message.
func encodeMessage(m domain.Message) wire.Message {
	w := wire.Message{Role: string(m.Role), Content: m.Content}
	if m.Role == domain.RoleTool {
		w.ToolName = m.Name
	}
	if len(m.Images) > 0 {
		w.Images = make([]string, len(m.Images))
		for i, img := range m.Images {
			w.Images[i] = bareBase64(img)
		}
	}
	if len(m.ToolCalls) > 0 {
		w.ToolCalls = make([]wire.ToolCall, len(m.ToolCalls))
		for i, tc := range m.ToolCalls {
			w.ToolCalls[i] = wire.ToolCall{Function: wire.Function{Name: tc.Name, Arguments: argsObject(tc.Arguments)}}
		}
	}
	return w
}

// argsObject turns OpenAI's arguments text into the JSON object Ollama
// expects; text that is not an object is sent as a JSON string.
func argsObject(args string) json.RawMessage {
	trimmed := strings.TrimSpace(args)
	if trimmed == "" {
		return json.RawMessage("{}")
	}
	if trimmed[0] == '{' && json.Valid([]byte(trimmed)) {
		return json.RawMessage(trimmed)
	}
	b, _ := json.Marshal(args)
	return b
}

// bareBase64 strips a data URL prefix: Ollama wants bare base64.
func bareBase64(img string) string {
	if !strings.HasPrefix(img, "data:") {
		return img
	}
	if i := strings.Index(img, ";base64,"); i >= 0 {
		return img[i+len(";base64,"):]
	}
	return img
}

// format maps an OpenAI response_format to Ollama's format: json_object
// becomes "json", json_schema becomes the schema itself.
func format(rf domain.RawJSON) json.RawMessage {
	if len(rf) == 0 {
		return nil
	}
	var v struct {
		Type       string `json:"type"`
		JSONSchema struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"json_schema"`
	}
	if json.Unmarshal(rf, &v) != nil {
		return nil
	}
	switch v.Type {
	case "json_object":
		return json.RawMessage(`"json"`)
	case "json_schema":
		if len(bytes.TrimSpace(v.JSONSchema.Schema)) > 0 {
			return v.JSONSchema.Schema
		}
		return json.RawMessage(`"json"`)
	}
	return nil
}
