package contract

import (
	"encoding/json"
	"errors"
	"fmt"
)

// CompletionChunkSchema names the one schema the validator derives rather
// than reads: a frame of the legacy /v1/completions stream before the one
// that finishes.
//
// The official document has no chunk schema for that stream. It says the
// chunks share CreateCompletionResponse's shape, but OpenAI's API sends
// `finish_reason: null` on every frame before the last (and `usage: null`
// with stream_options.include_usage), which that schema's closed enum and
// usage object do not allow. The derived schema is CreateCompletionResponse
// with exactly those two fields also accepting null (as the official chat
// chunk, CreateChatCompletionStreamResponse, declares them). CheckAnswer
// uses it only for frames that have such a null, checks every other frame
// (the one that finishes, the usage frame) against CreateCompletionResponse
// unchanged, and requires a complete stream to end with a finishing frame.
const CompletionChunkSchema = "CreateCompletionResponse.StreamChunk"

// deriveCompletionChunk adds CompletionChunkSchema to converted component
// schemas that hold CreateCompletionResponse.
func deriveCompletionChunk(schemas map[string]any) error {
	official, ok := schemas["CreateCompletionResponse"]
	if !ok {
		return nil
	}
	var chunk map[string]any
	if err := deepCopyJSON(official, &chunk); err != nil {
		return err
	}
	props := asMap(chunk["properties"])
	choice := asMap(asMap(asMap(props["choices"])["items"])["properties"])
	finish := asMap(choice["finish_reason"])
	usage := props["usage"]
	if len(finish) == 0 || usage == nil {
		return errors.New("CreateCompletionResponse has no choices[].finish_reason or usage to relax")
	}
	choice["finish_reason"] = orNull(finish)
	props["usage"] = map[string]any{"anyOf": []any{usage, map[string]any{"type": "null"}}}
	schemas[CompletionChunkSchema] = chunk
	return nil
}

func deepCopyJSON(v any, out *map[string]any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("copy schema: %w", err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("copy schema: %w", err)
	}
	return nil
}

// completionFrame is what the stream rule reads of a text_completion frame.
type completionFrame struct {
	Choices []struct {
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage json.RawMessage `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// unfinished reports a frame with a null finish_reason or usage, the
// frames CompletionChunkSchema is for.
func unfinished(frame []byte) bool {
	var f completionFrame
	if json.Unmarshal(frame, &f) != nil {
		return false
	}
	for _, c := range f.Choices {
		if c.FinishReason == nil {
			return true
		}
	}
	return string(f.Usage) == "null"
}

// completionsFinish requires a complete, successful stream's last frame
// with choices to finish every choice (the relaxation never covers it).
func completionsFinish(frames [][]byte) error {
	var last *completionFrame
	for _, frame := range frames {
		var f completionFrame
		if json.Unmarshal(frame, &f) != nil {
			continue
		}
		if f.Error != nil {
			return nil // a failed stream ends with its error frame instead
		}
		if len(f.Choices) > 0 {
			last = &f
		}
	}
	if last == nil {
		return errors.New("/v1/completions stream has no frame with choices")
	}
	for _, c := range last.Choices {
		if c.FinishReason == nil {
			return errors.New("/v1/completions stream never sets finish_reason: its last frame with choices has null")
		}
	}
	return nil
}
