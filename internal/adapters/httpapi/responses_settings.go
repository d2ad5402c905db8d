package httpapi

import (
	"encoding/json"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"

	"github.com/chorus-ai/chorus/internal/domain"
)

// toolChoiceAuto is the default tool_choice a Response reports.
var toolChoiceAuto = json.RawMessage(`"auto"`)

// settingsOf collects the echoed settings of a decoded Responses request.
func settingsOf(in responsesRequest, req domain.ChatRequest) openaiwire.ResponseSettings {
	s := openaiwire.ResponseSettings{
		Tools:             make([]openaiwire.FunctionTool, 0, len(req.Params.Tools)),
		ToolChoice:        responsesToolChoice(in.ToolChoice),
		ParallelToolCalls: in.ParallelToolCalls == nil || *in.ParallelToolCalls,
		Temperature:       in.Temperature,
		TopP:              in.TopP,
		Metadata:          in.Metadata,
	}
	if len(in.Instructions) > 0 && string(in.Instructions) != "null" {
		s.Instructions = in.Instructions
	}
	for _, t := range req.Params.Tools {
		rt := openaiwire.FunctionTool{Type: "function", Name: t.Name, Parameters: json.RawMessage(t.Parameters)}
		if t.Description != "" {
			rt.Description = &t.Description
		}
		s.Tools = append(s.Tools, rt)
	}
	return s
}

// responsesToolChoice is the tool_choice a Response reports: the request's,
// with a chat-shaped forced function ({"function":{"name":"f"}}) written
// the Responses way ({"type":"function","name":"f"}); "auto" when unset.
func responsesToolChoice(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return toolChoiceAuto
	}
	var chat struct {
		Type     string `json:"type"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if json.Unmarshal(raw, &chat) != nil || chat.Type != "function" || chat.Function.Name == "" {
		return raw
	}
	out, err := json.Marshal(map[string]string{"type": "function", "name": chat.Function.Name})
	if err != nil {
		return toolChoiceAuto
	}
	return out
}
