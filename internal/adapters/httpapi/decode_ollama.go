package httpapi

import (
	"bytes"
	"encoding/json"

	ollamawire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// ollamaOptions is the subset of Ollama's "options" Chorus forwards.
type ollamaOptions struct {
	Temperature      *float64        `json:"temperature"`
	TopP             *float64        `json:"top_p"`
	NumPredict       *int            `json:"num_predict"`
	Stop             openaiwire.Stop `json:"stop"` // one shape in both dialects
	Seed             *int            `json:"seed"`
	PresencePenalty  *float64        `json:"presence_penalty"`
	FrequencyPenalty *float64        `json:"frequency_penalty"`
}

// ollamaCommon are the fields /api/generate and /api/chat share.
type ollamaCommon struct {
	Model           string            `json:"model"`
	Stream          *bool             `json:"stream"`
	Options         *ollamaOptions    `json:"options"`
	Format          json.RawMessage   `json:"format"`
	Tools           []openaiwire.Tool `json:"tools"`
	IncludeWorkflow bool              `json:"include_workflow"`
	// Think is Ollama's thinking switch: false, true or a level ("high").
	// false turns workflow progress lines off; anything else asks for them.
	Think json.RawMessage `json:"think"`
}

// ollamaGenerateRequest is the body of POST /api/generate.
type ollamaGenerateRequest struct {
	ollamaCommon
	Prompt *string  `json:"prompt"`
	System string   `json:"system"`
	Images []string `json:"images"`
}

// ollamaChatRequest is the body of POST /api/chat.
type ollamaChatRequest struct {
	ollamaCommon
	Messages []ollamawire.Message `json:"messages"`
}

// decodeOllamaGenerate turns an /api/generate body into a ChatRequest.
func decodeOllamaGenerate(body []byte) (domain.ChatRequest, error) {
	var in ollamaGenerateRequest
	if err := unmarshalBody(body, &in); err != nil {
		return domain.ChatRequest{}, err
	}
	if in.Prompt == nil {
		return domain.ChatRequest{}, badRequest("prompt is required")
	}
	req, err := in.ollamaCommon.toDomain()
	if err != nil {
		return domain.ChatRequest{}, err
	}
	if in.System != "" {
		req.Messages = append(req.Messages, domain.Message{Role: domain.RoleSystem, Content: in.System})
	}
	req.Messages = append(req.Messages, domain.Message{Role: domain.RoleUser, Content: *in.Prompt, Images: in.Images})
	return req, nil
}

// decodeOllamaChat turns an /api/chat body into a ChatRequest with real roles.
func decodeOllamaChat(body []byte) (domain.ChatRequest, error) {
	var in ollamaChatRequest
	if err := unmarshalBody(body, &in); err != nil {
		return domain.ChatRequest{}, err
	}
	if len(in.Messages) == 0 {
		return domain.ChatRequest{}, badRequest("messages is required and must not be empty")
	}
	req, err := in.ollamaCommon.toDomain()
	if err != nil {
		return domain.ChatRequest{}, err
	}
	for i, m := range in.Messages {
		msg, err := ollamaMessageToDomain(m, i)
		if err != nil {
			return domain.ChatRequest{}, err
		}
		req.Messages = append(req.Messages, msg)
	}
	return req, nil
}

func (o ollamaCommon) toDomain() (domain.ChatRequest, error) {
	req := domain.ChatRequest{
		Model:           o.Model,
		Stream:          o.Stream == nil || *o.Stream,
		IncludeWorkflow: o.IncludeWorkflow,
		Progress:        thinkProgress(o.Think),
	}
	if opt := o.Options; opt != nil {
		req.Params = domain.Params{
			Temperature:      optFloat(opt.Temperature),
			TopP:             optFloat(opt.TopP),
			MaxTokens:        optInt(opt.NumPredict),
			Seed:             optInt(opt.Seed),
			PresencePenalty:  optFloat(opt.PresencePenalty),
			FrequencyPenalty: optFloat(opt.FrequencyPenalty),
			Stop:             []string(opt.Stop),
		}
		// Ollama uses num_predict -1/-2 for "unlimited"/"fill context".
		if req.Params.MaxTokens.Set && req.Params.MaxTokens.Value < 0 {
			req.Params.MaxTokens = domain.OptInt{}
		}
	}
	tools, err := toolsToDomain(o.Tools)
	if err != nil {
		return domain.ChatRequest{}, err
	}
	req.Params.Tools = tools
	format, err := ollamaFormat(o.Format)
	if err != nil {
		return domain.ChatRequest{}, err
	}
	req.Params.ResponseFormat = format
	return req, checkSampling(req.Params)
}

// ollamaFormat maps Ollama's "format" ("json" or a JSON schema) to an
// OpenAI-style response_format, the shape the upstream adapters forward.
func ollamaFormat(raw json.RawMessage) (domain.RawJSON, error) {
	switch firstByte(raw) {
	case 0, 'n':
		return nil, nil
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, badRequest("format must be \"json\" or a JSON schema object")
		}
		switch s {
		case "":
			return nil, nil
		case "json":
			return domain.RawJSON(`{"type":"json_object"}`), nil
		}
		return nil, badRequest("format must be \"json\" or a JSON schema object")
	case '{':
		var buf bytes.Buffer
		buf.WriteString(`{"type":"json_schema","json_schema":{"name":"response","schema":`)
		if err := json.Compact(&buf, raw); err != nil {
			return nil, badRequest("format must be \"json\" or a JSON schema object")
		}
		buf.WriteString(`}}`)
		return domain.RawJSON(buf.Bytes()), nil
	}
	return nil, badRequest("format must be \"json\" or a JSON schema object")
}

// ollamaMessageToDomain converts request message i.
func ollamaMessageToDomain(m ollamawire.Message, i int) (domain.Message, error) {
	role, err := parseRole(m.Role, i)
	if err != nil {
		return domain.Message{}, err
	}
	msg := domain.Message{Role: role, Content: m.Content, Images: m.Images, Name: m.ToolName}
	for j, tc := range m.ToolCalls {
		args, err := ollamaArgs(tc.Function.Arguments)
		if err != nil {
			return domain.Message{}, badRequest("messages[%d].tool_calls[%d]: %s", i, j, err.Error())
		}
		idx := j
		if tc.Function.Index != nil {
			idx = *tc.Function.Index
		}
		msg.ToolCalls = append(msg.ToolCalls, domain.ToolCall{Index: idx, ID: tc.ID, Name: tc.Function.Name, Arguments: args})
	}
	return msg, nil
}

// ollamaArgs turns Ollama's arguments object into OpenAI's JSON text.
func ollamaArgs(raw json.RawMessage) (string, error) {
	switch firstByte(raw) {
	case 0, 'n':
		return "{}", nil
	case '{':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return "", err
		}
		return buf.String(), nil
	case '"': // tolerate clients that send OpenAI's string form
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	}
	return "", badRequest("arguments must be an object")
}

// parseRole accepts the roles both dialects use ("developer" is OpenAI's
// newer name for system).
func parseRole(role string, i int) (domain.Role, error) {
	switch role {
	case "system", "developer":
		return domain.RoleSystem, nil
	case "user":
		return domain.RoleUser, nil
	case "assistant":
		return domain.RoleAssistant, nil
	case "tool", "function":
		return domain.RoleTool, nil
	case "":
		return "", badRequest("messages[%d].role is required", i)
	}
	return "", badRequest("messages[%d].role %q is not one of system, developer, user, assistant, tool", i, role)
}
