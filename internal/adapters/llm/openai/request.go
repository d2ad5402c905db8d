package openai

import (
	"encoding/json"
	"strings"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// encodeRequest builds the Chat Completions body for a call.
func encodeRequest(model string, call domain.ModelCall, stream bool) ([]byte, error) {
	p := call.Params
	req := wire.ChatRequest{Params: wire.Params{
		Model:            model,
		Temperature:      upstream.FloatPtr(p.Temperature),
		TopP:             upstream.FloatPtr(p.TopP),
		MaxTokens:        upstream.IntPtr(p.MaxTokens),
		Stop:             p.Stop,
		Seed:             upstream.IntPtr(p.Seed),
		PresencePenalty:  upstream.FloatPtr(p.PresencePenalty),
		FrequencyPenalty: upstream.FloatPtr(p.FrequencyPenalty),
		ToolChoice:       json.RawMessage(p.ToolChoice),
		ResponseFormat:   json.RawMessage(p.ResponseFormat),
		Stream:           stream,
	}, Messages: make([]wire.Message, len(call.Messages))}
	if stream {
		req.StreamOptions = &wire.StreamOptions{IncludeUsage: true}
	}
	for i, m := range call.Messages {
		req.Messages[i] = encodeMessage(m)
	}
	req.Tools = upstream.Tools(p.Tools)
	if len(req.Tools) > 0 && p.ParallelToolCalls.Set {
		// OpenAI rejects parallel_tool_calls on a request without tools.
		req.ParallelToolCalls = &p.ParallelToolCalls.Value
	}
	return json.Marshal(&req)
}

// encodeMessage converts one domain message.
func encodeMessage(m domain.Message) wire.Message {
	w := wire.Message{Role: string(m.Role), Name: m.Name, ToolCallID: m.ToolCallID}
	if m.Role == domain.RoleTool {
		// A tool result's name is Ollama's tool_name; OpenAI's tool
		// message has no name field.
		w.Name = ""
	}
	switch {
	case len(m.Images) > 0:
		parts := make([]wire.ContentPart, 0, len(m.Images)+1)
		if m.Content != "" {
			parts = append(parts, wire.ContentPart{Type: "text", Text: m.Content})
		}
		for _, img := range m.Images {
			parts = append(parts, wire.ContentPart{Type: "image_url", ImageURL: &wire.ImageURL{URL: imageRef(img)}})
		}
		w.Content = parts
	case m.Content == "" && len(m.ToolCalls) > 0:
		w.Content = nil
	default:
		w.Content = m.Content
	}
	if len(m.ToolCalls) > 0 {
		w.ToolCalls = make([]wire.ToolCall, len(m.ToolCalls))
		for i, tc := range m.ToolCalls {
			w.ToolCalls[i] = wire.ToolCall{ID: tc.ID, Type: "function",
				Function: wire.FunctionCall{Name: tc.Name, Arguments: wire.Args(tc.Arguments)}}
		}
	}
	return w
}

// imageRef returns an image as OpenAI expects it: URLs and data URLs as
// they are, bare base64 (Ollama's form) as a data URL with a sniffed type.
func imageRef(img string) string {
	if strings.HasPrefix(img, "http://") || strings.HasPrefix(img, "https://") || strings.HasPrefix(img, "data:") {
		return img
	}
	mime := "image/png"
	switch {
	case strings.HasPrefix(img, "/9j/"):
		mime = "image/jpeg"
	case strings.HasPrefix(img, "R0lGOD"):
		mime = "image/gif"
	case strings.HasPrefix(img, "UklGR"):
		mime = "image/webp"
	}
	return "data:" + mime + ";base64," + img
}
