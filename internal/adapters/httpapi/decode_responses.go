package httpapi

import (
	"encoding/json"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// responsesRequest is the body of POST /v1/responses: OpenAI's fields
// (wire/openai), the raw conversation fields and Chorus's include_workflow
// extension.
type responsesRequest struct {
	responsesPromptFields
	openaiwire.ResponsesRequest
	IncludeWorkflow bool `json:"include_workflow"`
}

// decodeResponses turns a /v1/responses body into a ChatRequest and the
// settings its Response objects echo.
func decodeResponses(body []byte) (domain.ChatRequest, openaiwire.ResponseSettings, error) {
	var in responsesRequest
	if err := unmarshalBody(body, &in); err != nil {
		return domain.ChatRequest{}, openaiwire.ResponseSettings{}, err
	}
	req, err := in.toDomain()
	if err != nil {
		return domain.ChatRequest{}, openaiwire.ResponseSettings{}, err
	}
	return req, settingsOf(in, req), nil
}

func (in responsesRequest) toDomain() (domain.ChatRequest, error) {
	msgs, err := responsesConversation(in.responsesPromptFields)
	if err != nil {
		return domain.ChatRequest{}, err
	}
	format, err := chatResponseFormat(in.Text)
	if err != nil {
		return domain.ChatRequest{}, err
	}
	req := domain.ChatRequest{
		Model:           in.Model,
		Messages:        msgs,
		Stream:          in.Stream,
		IncludeWorkflow: in.IncludeWorkflow,
		Params: domain.Params{
			Temperature:       optFloat(in.Temperature),
			TopP:              optFloat(in.TopP),
			MaxTokens:         optInt(in.MaxOutputTokens),
			ToolChoice:        chatToolChoice(in.ToolChoice),
			ParallelToolCalls: optBool(in.ParallelToolCalls),
			ResponseFormat:    format,
		},
	}
	for i, t := range in.Tools {
		fn := t.ToolFunction
		if t.Function != nil {
			fn = *t.Function
		}
		tool := toolToDomain(fn)
		if t.Type != "function" || tool.Name == "" {
			return domain.ChatRequest{}, badRequest("tools[%d]: only function tools with a name are supported", i)
		}
		req.Params.Tools = append(req.Params.Tools, tool)
	}
	return req, checkSampling(req.Params)
}

// chatToolChoice converts a Responses tool_choice to the Chat Completions
// shape upstreams expect: a forced function, {"type":"function","name":"f"},
// becomes {"type":"function","function":{"name":"f"}}. Strings ("auto",
// "none", "required"), chat-shaped objects and other types pass as they are.
func chatToolChoice(raw json.RawMessage) domain.RawJSON {
	var forced struct {
		Type     string          `json:"type"`
		Name     string          `json:"name"`
		Function json.RawMessage `json:"function"`
	}
	if json.Unmarshal(raw, &forced) != nil || forced.Type != "function" || forced.Name == "" || forced.Function != nil {
		return rawOrNil(raw)
	}
	out, err := json.Marshal(map[string]any{"type": "function", "function": map[string]string{"name": forced.Name}})
	if err != nil {
		return rawOrNil(raw)
	}
	return out
}
