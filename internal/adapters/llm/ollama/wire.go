package ollama

import (
	"encoding/json"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
)

// chatRequest is the /api/chat request body. Stream is always sent because
// Ollama streams when it is absent.
type chatRequest struct {
	Model    string          `json:"model"`
	Messages []wire.Message  `json:"messages"`
	Stream   bool            `json:"stream"`
	Options  *wire.Options   `json:"options,omitempty"`
	Tools    []upstream.Tool `json:"tools,omitempty"`
	Format   json.RawMessage `json:"format,omitempty"`
}
