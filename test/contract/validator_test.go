package contract

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func openAIValidator(t *testing.T) *Validator {
	t.Helper()
	v, err := OpenAI()
	require.NoError(t, err)
	return v
}

// TestOpenAIAcceptsTheSpecsOwnShapes guards against a validator that
// rejects everything: well-formed objects, as the spec documents them, pass.
func TestOpenAIAcceptsTheSpecsOwnShapes(t *testing.T) {
	v := openAIValidator(t)
	for name, body := range map[string]string{
		"CreateChatCompletionResponse": `{"id":"c","object":"chat.completion","created":1,"model":"m",
			"choices":[{"index":0,"finish_reason":"stop","logprobs":null,
			"message":{"role":"assistant","content":"hi","refusal":null}}]}`,
		"ErrorResponse": `{"error":{"message":"no","type":"invalid_request_error","param":null,"code":null}}`,
		"ResponseStreamEvent": `{"type":"response.output_text.delta","item_id":"i","output_index":0,
			"content_index":0,"delta":"hi","logprobs":[],"sequence_number":3}`,
	} {
		require.NoError(t, v.Validate(name, []byte(body)), name)
	}
}

// TestOpenAIRejectsBrokenObjects proves the contract tests cannot pass
// vacuously: each object breaks the official document in one place.
func TestOpenAIRejectsBrokenObjects(t *testing.T) {
	v := openAIValidator(t)
	for _, tc := range []struct{ name, schema, body, want string }{
		{"message without refusal", "CreateChatCompletionResponse", `{"id":"c","object":"chat.completion",
			"created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","logprobs":null,
			"message":{"role":"assistant","content":"hi"}}]}`, "refusal"},
		{"error without param", "ErrorResponse", `{"error":{"message":"no","type":"t","code":null}}`, "param"},
		{"delta event without logprobs", "ResponseStreamEvent", `{"type":"response.output_text.delta","item_id":"i",
			"output_index":0,"content_index":0,"delta":"hi","sequence_number":3}`, "logprobs"},
		{"unknown event type", "ResponseStreamEvent", `{"type":"response.nonsense","sequence_number":3}`, "type"},
		{"error event with a numeric code", "ResponseStreamEvent", `{"type":"error","code":1,
			"message":"m","param":null,"sequence_number":1}`, "code"},
		{"code outside ResponseErrorCode", "ResponseErrorCode", `"upstream_error"`, "must be one of"},
		{"not JSON", "ErrorResponse", `{`, "not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Validate(tc.schema, []byte(tc.body))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestDiscriminatedUnionReportsTheNamedMember checks that a union member is
// chosen by its type value: the error is the named member's missing field,
// not "no member of anyOf matched" over sixty members.
func TestDiscriminatedUnionReportsTheNamedMember(t *testing.T) {
	err := openAIValidator(t).Validate("ResponseStreamEvent",
		[]byte(`{"type":"error","code":null,"message":"m","sequence_number":1}`))
	require.Error(t, err)
	require.Contains(t, err.Error(), "missing property 'param'")
	require.NotContains(t, err.Error(), "anyOf")
}

func TestOllamaRejectsAnObjectError(t *testing.T) {
	v, err := Ollama()
	require.NoError(t, err)
	require.NoError(t, v.Validate("ErrorResponse", []byte(`{"error":"model not found"}`)))
	require.Error(t, v.Validate("ErrorResponse", []byte(`{"error":{"message":"model not found","type":"x"}}`)))
}

func TestOllamaExamplesCatchAWrongType(t *testing.T) {
	require.NoError(t, CheckOllamaExample("/api/generate",
		[]byte(`{"model":"m","created_at":"2023-08-04T19:22:45.499127Z","response":"hi","done":true,"eval_count":3}`)))
	err := CheckOllamaExample("/api/generate", []byte(`{"model":"m","response":"hi","done":"true","eval_count":1.5}`))
	require.Error(t, err)
	require.Contains(t, err.Error(), "$.done: string")
	require.Contains(t, err.Error(), "$.eval_count: number")
}

// TestCompletionChunksRelaxOnlyTheUnfinishedFields pins the one derived
// schema: a legacy completions frame may have a null finish_reason and
// usage, nothing else changes, and the official schema refuses both nulls
// (so the relaxation is needed and CheckAnswer applies it only to them).
func TestCompletionChunksRelaxOnlyTheUnfinishedFields(t *testing.T) {
	v := openAIValidator(t)
	frame := func(finish, usage string) []byte {
		return []byte(`{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","usage":` + usage +
			`,"choices":[{"text":"hi","index":0,"logprobs":null,"finish_reason":` + finish + `}]}`)
	}
	require.NoError(t, v.Validate(CompletionChunkSchema, frame("null", "null")))
	require.NoError(t, v.Validate(CompletionChunkSchema, frame(`"stop"`, `{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}`)))
	require.Error(t, v.Validate(CompletionChunkSchema, frame(`"tool_calls"`, "null")), "the enum is otherwise the official one")
	require.Error(t, v.Validate(CompletionChunkSchema, []byte(`{"id":"cmpl-1","object":"text_completion","created":1,
		"model":"m","choices":[{"text":"hi","index":0,"logprobs":null}]}`)), "finish_reason stays required")
	require.Error(t, v.Validate("CreateCompletionResponse", frame("null", "null")), "the official schema has no null")

	sse := func(frames ...[]byte) Answer {
		var b strings.Builder
		for _, f := range frames {
			b.WriteString("data: " + string(f) + "\n\n")
		}
		b.WriteString("data: [DONE]\n\n")
		return Answer{Method: http.MethodPost, Path: "/v1/completions", Status: 200, Complete: true,
			Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: []byte(b.String())}
	}
	require.NoError(t, CheckAnswer(sse(frame("null", "null"), frame(`"stop"`, "null"))))
	require.ErrorContains(t, CheckAnswer(sse(frame("null", "null"))), "never sets finish_reason")
}
