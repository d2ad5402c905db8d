package openai

import (
	"encoding/json"

	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// completionBody is a chat.completion as providers send it: OpenAI's object
// plus the error some of them (OpenRouter) report inside a 200 answer.
type completionBody struct {
	wire.ChatCompletion
	Error json.RawMessage `json:"error"`
	// content holds the message content for the fast decoder (no
	// allocation of its own).
	content wire.Text
}

// chunkBody is one stream chunk as providers send it, with the same error.
type chunkBody struct {
	wire.Chunk
	Error json.RawMessage `json:"error"`
}
