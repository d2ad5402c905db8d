package httpapi

import (
	"encoding/json"
	"strings"

	"github.com/chorus-ai/chorus/internal/adapters/internal/jsonstr"
	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// openAIParams are the fields chat and completions share (OpenAI's, held
// in wire/openai) plus Chorus's include_workflow extension.
type openAIParams struct {
	openaiwire.Params
	IncludeWorkflow bool `json:"include_workflow"`
}

func (p openAIParams) toDomain() (domain.ChatRequest, error) {
	maxTokens := p.MaxCompletionTokens
	if maxTokens == nil {
		maxTokens = p.MaxTokens
	}
	tools, err := toolsToDomain(p.Tools)
	if err != nil {
		return domain.ChatRequest{}, err
	}
	req := domain.ChatRequest{
		Model:           p.Model,
		Stream:          p.Stream,
		IncludeWorkflow: p.IncludeWorkflow,
		Params: domain.Params{
			Temperature:       optFloat(p.Temperature),
			TopP:              optFloat(p.TopP),
			MaxTokens:         optInt(maxTokens),
			Seed:              optInt(p.Seed),
			PresencePenalty:   optFloat(p.PresencePenalty),
			FrequencyPenalty:  optFloat(p.FrequencyPenalty),
			Stop:              []string(p.Stop),
			Tools:             tools,
			ToolChoice:        rawOrNil(p.ToolChoice),
			ParallelToolCalls: optBool(p.ParallelToolCalls),
			ResponseFormat:    rawOrNil(p.ResponseFormat),
		},
	}
	return req, checkSampling(req.Params)
}

// openAIChatRequest is the body of POST /v1/chat/completions.
type openAIChatRequest struct {
	openAIParams
	Messages []openAIMessage `json:"messages"`
}

// openAIMessage is one chat message; content is a string, null or parts.
type openAIMessage struct {
	Role       string                `json:"role"`
	Content    openAIContent         `json:"content"`
	Name       string                `json:"name"`
	ToolCalls  []openaiwire.ToolCall `json:"tool_calls"`
	ToolCallID string                `json:"tool_call_id"`
}

// openAIContent is message content: a string or an array of content parts.
// Text parts are joined with newlines; image parts are kept as Images.
type openAIContent struct {
	Text   string
	Images []string
}

// contentPart is one element of a content-part array.
type contentPart struct {
	Type     string          `json:"type"`
	Text     *string         `json:"text"`
	ImageURL json.RawMessage `json:"image_url"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (c *openAIContent) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case 'n':
		*c = openAIContent{}
		return nil
	case '"':
		return jsonstr.Decode(b, &c.Text)
	case '[':
		var parts []contentPart
		if err := json.Unmarshal(b, &parts); err != nil {
			return badRequest("invalid JSON body: message content parts must be objects with a type")
		}
		return c.fromParts(parts)
	}
	return badRequest("invalid JSON body: message content must be a string or an array of content parts")
}

func (c *openAIContent) fromParts(parts []contentPart) error {
	texts := make([]string, 0, len(parts))
	for i, p := range parts {
		switch p.Type {
		case "text", "input_text", "output_text":
			if p.Text == nil {
				return badRequest("content part %d of type %q needs a string text", i, p.Type)
			}
			texts = append(texts, *p.Text)
		case "image_url", "input_image":
			url, err := imageURL(p.ImageURL)
			if err != nil {
				return badRequest("content part %d: %s", i, err.Error())
			}
			c.Images = append(c.Images, url)
		default:
			return badRequest("content part %d: unsupported type %q", i, p.Type)
		}
	}
	c.Text = strings.Join(texts, "\n")
	return nil
}

// imageURL accepts {"url": "..."} or a bare string.
func imageURL(raw json.RawMessage) (string, error) {
	var s string
	if firstByte(raw) == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
	} else {
		var obj struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return "", badRequest("image_url must be an object with a url")
		}
		s = obj.URL
	}
	if s == "" {
		return "", badRequest("image_url.url is required")
	}
	return s, nil
}

// decodeOpenAIChat turns a /v1/chat/completions body into a ChatRequest.
func decodeOpenAIChat(body []byte) (domain.ChatRequest, openAIParams, error) {
	var in openAIChatRequest
	if err := unmarshalBody(body, &in); err != nil {
		return domain.ChatRequest{}, openAIParams{}, err
	}
	if len(in.Messages) == 0 {
		return domain.ChatRequest{}, openAIParams{}, badRequest("messages is required and must not be empty")
	}
	req, err := in.openAIParams.toDomain()
	if err != nil {
		return domain.ChatRequest{}, openAIParams{}, err
	}
	for i, m := range in.Messages {
		msg, err := m.toDomain(i)
		if err != nil {
			return domain.ChatRequest{}, openAIParams{}, err
		}
		req.Messages = append(req.Messages, msg)
	}
	return req, in.openAIParams, nil
}

func (m openAIMessage) toDomain(i int) (domain.Message, error) {
	role, err := parseRole(m.Role, i)
	if err != nil {
		return domain.Message{}, err
	}
	msg := domain.Message{
		Role: role, Content: m.Content.Text, Images: m.Content.Images,
		Name: m.Name, ToolCallID: m.ToolCallID,
	}
	for j, tc := range m.ToolCalls {
		if tc.Function.Name == "" {
			return domain.Message{}, badRequest("messages[%d].tool_calls[%d].function.name is required", i, j)
		}
		idx := j
		if tc.Index != nil {
			idx = *tc.Index
		}
		msg.ToolCalls = append(msg.ToolCalls, domain.ToolCall{
			Index: idx, ID: tc.ID, Name: tc.Function.Name, Arguments: string(tc.Function.Arguments),
		})
	}
	return msg, nil
}

// openAICompletionRequest is the body of POST /v1/completions.
type openAICompletionRequest struct {
	openAIParams
	Prompt completionPrompt `json:"prompt"`
}

// completionPrompt is a string or an array of strings (joined with "\n").
type completionPrompt struct {
	Text string
	Set  bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *completionPrompt) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case 'n':
		return nil
	case '"':
		p.Set = true
		return jsonstr.Decode(b, &p.Text)
	case '[':
		var many []string
		if err := json.Unmarshal(b, &many); err != nil {
			return badRequest("invalid JSON body: field \"prompt\" must be a string or an array of strings")
		}
		p.Text, p.Set = strings.Join(many, "\n"), true
		return nil
	}
	return badRequest("invalid JSON body: field \"prompt\" must be a string or an array of strings")
}

// decodeOpenAICompletion turns a /v1/completions body into a ChatRequest.
func decodeOpenAICompletion(body []byte) (domain.ChatRequest, openAIParams, error) {
	var in openAICompletionRequest
	if err := unmarshalBody(body, &in); err != nil {
		return domain.ChatRequest{}, openAIParams{}, err
	}
	if !in.Prompt.Set {
		return domain.ChatRequest{}, openAIParams{}, badRequest("prompt is required")
	}
	req, err := in.openAIParams.toDomain()
	if err != nil {
		return domain.ChatRequest{}, openAIParams{}, err
	}
	req.Messages = []domain.Message{{Role: domain.RoleUser, Content: in.Prompt.Text}}
	return req, in.openAIParams, nil
}
