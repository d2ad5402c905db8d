package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	official "github.com/chorus-ai/chorus/test/contract"
)

// openAISchemas names the official OpenAI schema of each route's body and
// of each of its stream chunks or events.
var openAISchemas = map[string]struct{ body, chunk string }{
	"/v1/chat/completions": {"CreateChatCompletionResponse", "CreateChatCompletionStreamResponse"},
	"/v1/completions":      {"CreateCompletionResponse", "CreateCompletionResponse"},
	"/v1/responses":        {"Response", "ResponseStreamEvent"},
	"/v1/models":           {"ListModelsResponse", ""},
}

// ollamaSchemas does the same for Ollama's OpenAPI document.
var ollamaSchemas = map[string]struct{ body, chunk string }{
	"/api/generate": {"GenerateResponse", "GenerateStreamEvent"},
	"/api/chat":     {"ChatResponse", "ChatStreamEvent"},
	"/api/tags":     {"ListResponse", ""},
	"/api/show":     {"ShowResponse", ""},
	"/api/ps":       {"PsResponse", ""},
	"/api/version":  {"VersionResponse", ""},
}

// officialDialect is one official document and how its answers are read.
type officialDialect struct {
	name      string
	validator func() (*official.Validator, error)
	schemas   map[string]struct{ body, chunk string }
	// frames splits a stream into its JSON objects.
	frames func(t *testing.T, path string, r response) [][]byte
	// examples is an extra check of successful objects (Ollama's doc examples).
	examples func(path string, body []byte) error
}

var (
	openAIDialect = officialDialect{name: "OpenAI", validator: official.OpenAI, schemas: openAISchemas, frames: openAIFrames,
		examples: func(string, []byte) error { return nil }}
	ollamaDialect = officialDialect{name: "Ollama", validator: official.Ollama, schemas: ollamaSchemas, frames: ollamaFrames,
		examples: official.CheckOllamaExample}
)

// validateOfficial checks an answer, and every chunk or event of a stream,
// against the official OpenAI or Ollama document. Routes that are Chorus's
// own (health, metrics, the spec) are not in those documents and pass.
func validateOfficial(t *testing.T, method, path string, r response) {
	t.Helper()
	if method == http.MethodHead || len(r.body) == 0 {
		return
	}
	switch {
	case strings.HasPrefix(path, "/v1/"):
		openAIDialect.validate(t, path, r)
	case strings.HasPrefix(path, "/api/"):
		ollamaDialect.validate(t, path, r)
	}
}

func (d officialDialect) validate(t *testing.T, path string, r response) {
	t.Helper()
	v, err := d.validator()
	require.NoError(t, err)
	check := func(schema string, body []byte) {
		require.NoError(t, v.Validate(schema, body), "official %s %s from %s: %s", d.name, schema, path, truncate(body, 600))
		if schema != "ErrorResponse" {
			require.NoError(t, d.examples(path, body))
		}
	}
	schemas, known := d.schemas[path]
	if !known && strings.HasPrefix(path, "/v1/models/") {
		schemas, known = struct{ body, chunk string }{"Model", ""}, true
	}
	switch {
	case r.status >= 400:
		check("ErrorResponse", r.body)
	case !known:
		t.Fatalf("no official %s schema is mapped for %s", d.name, path)
	case isStream(r.header):
		for _, frame := range d.frames(t, path, r) {
			var probe struct {
				Error json.RawMessage `json:"error"`
			}
			require.NoError(t, json.Unmarshal(frame, &probe), string(frame))
			if probe.Error != nil { // an in-stream error (Responses failures are typed events)
				check("ErrorResponse", frame)
				continue
			}
			check(schemas.chunk, frame)
		}
	default:
		check(schemas.body, r.body)
	}
}

// openAIFrames are the data of each SSE event but [DONE].
func openAIFrames(t *testing.T, path string, r response) [][]byte {
	t.Helper()
	events, _ := parseSSE(t, r.body)
	var out [][]byte
	for _, ev := range events {
		switch {
		case ev.data == "[DONE]":
		case path == "/v1/completions":
			out = append(out, unfinishedAsStop(t, []byte(ev.data)))
		default:
			out = append(out, []byte(ev.data))
		}
	}
	return out
}

// ollamaFrames are the JSON objects of an Ollama stream: NDJSON lines, or
// the data of each event when the client asked for SSE (same framing as
// OpenAI's, ending with [DONE]).
func ollamaFrames(t *testing.T, path string, r response) [][]byte {
	t.Helper()
	if strings.HasPrefix(r.header.Get("Content-Type"), "text/event-stream") {
		return openAIFrames(t, path, r)
	}
	return bytes.Split(bytes.TrimSpace(r.body), []byte("\n"))
}

// unfinishedAsStop reads a text_completion stream chunk for validation.
// The official document has no chunk schema for the legacy completions
// stream: the API streams CreateCompletionResponse objects whose
// finish_reason is null until the last chunk (openai-python types it
// Optional there), while the schema's enum has no null. Only that one
// field is relaxed, and only on chunks.
func unfinishedAsStop(t *testing.T, data []byte) []byte {
	t.Helper()
	var chunk map[string]any
	require.NoError(t, json.Unmarshal(data, &chunk), string(data))
	for _, c := range asList(chunk["choices"]) {
		if m, ok := c.(map[string]any); ok && m["finish_reason"] == nil {
			m["finish_reason"] = "stop"
		}
	}
	out, err := json.Marshal(chunk)
	require.NoError(t, err)
	return out
}
