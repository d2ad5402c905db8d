package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/chorus-ai/chorus/internal/domain"
)

// cacheKeyVersion changes when the key's content changes, so old entries
// in a shared store are never read with a new meaning.
const cacheKeyVersion = 1

// keyedRequest is everything that changes an answer, in canonical form:
// field order is fixed by the struct and every opaque JSON value (tool
// schemas, tool_choice, response_format) is re-encoded with sorted keys
// and no insignificant whitespace. Streaming and include_workflow only
// change how the answer is rendered, so they are left out.
type keyedRequest struct {
	V                int
	Model            string
	Messages         []domain.Message
	Temperature      domain.OptFloat
	TopP             domain.OptFloat
	MaxTokens        domain.OptInt
	Seed             domain.OptInt
	PresencePenalty  domain.OptFloat
	FrequencyPenalty domain.OptFloat
	Stop             []string
	Tools            []keyedTool
	ToolChoice       json.RawMessage
	ResponseFormat   json.RawMessage
}

type keyedTool struct {
	Name        string
	Description string
	Parameters  json.RawMessage
}

// cacheKey is the hex SHA-256 of the canonical request.
func cacheKey(req domain.ChatRequest) (string, error) {
	p := req.Params
	k := keyedRequest{
		V: cacheKeyVersion, Model: req.Model, Messages: req.Messages,
		Temperature: p.Temperature, TopP: p.TopP, MaxTokens: p.MaxTokens, Seed: p.Seed,
		PresencePenalty: p.PresencePenalty, FrequencyPenalty: p.FrequencyPenalty, Stop: p.Stop,
	}
	var err error
	if k.ToolChoice, err = canonicalJSON(p.ToolChoice); err != nil {
		return "", err
	}
	if k.ResponseFormat, err = canonicalJSON(p.ResponseFormat); err != nil {
		return "", err
	}
	for _, t := range p.Tools {
		params, err := canonicalJSON(t.Parameters)
		if err != nil {
			return "", err
		}
		k.Tools = append(k.Tools, keyedTool{Name: t.Name, Description: t.Description, Parameters: params})
	}
	b, err := json.Marshal(k)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errNotCacheable, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// canonicalJSON re-encodes a JSON value with sorted object keys (Go's
// encoding of maps) and compact spacing; numbers keep their text.
func canonicalJSON(raw domain.RawJSON) (json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotCacheable, err)
	}
	return json.Marshal(v)
}
