package openai

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// fastDecodeSeeds are completions and stream chunks as providers send
// them, and the unusual shapes the fast path must leave to encoding/json.
var fastDecodeSeeds = []string{
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}`,
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":[{"index":0,"delta":{"content":"Hel\"lo\n\u00e9 \ud83d\ude00"},"logprobs":null,"finish_reason":null}]}`,
	`{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}`,
	`{"id":"c","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}`,
	`{"choices":[{"index":0,"delta":{"reasoning_content":"think","content":null}}]}`,
	`{"choices":[{"index":0,"delta":{"reasoning":"think"}}],"x_groq":{"id":"req_1","usage":{"queue_time":0.01}}}`,
	`{"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"{\"temperature\": 0.7}","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":400,"total_tokens":410},"service_tier":"default"}`,
	`{"choices":[{"text":"legacy","index":0,"finish_reason":"length"}]}`,
	` { "choices" : [ { "index" : 0 , "delta" : { "content" : "spaced" } } ] } `,
	`{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}`,
	`{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}]}}]}`,
	`{"choices":[{"index":0,"delta":{"content":[{"type":"text","text":"parts"}]}}]}`,
	`{"Choices":[{"index":0,"delta":{"content":"case"}}]}`,
	`{"choices":[{"index":0,"Delta":{"content":"case"}}]}`,
	`{"choices":[{"index":0,"delta":{"CONTENT":"case"}}]}`,
	`{"choices":[{"index":0,"delta":{"content":"one","content":"two"}}]}`,
	`{"choices":[{"index":0,"delta":{"content":"x"}}],"choices":[]}`,
	`{"error":{"message":"boom","code":500}}`,
	`{"error":null,"choices":[{"index":0,"delta":{"content":"x"}}]}`,
	`{"choices":[{"index":1.5,"delta":{"content":"x"}}]}`,
	`{"choices":[{"index":-0,"delta":{"content":"x"}}]}`,
	`{"choices":[{"index":99999999999999999999,"delta":{"content":"x"}}]}`,
	`{"choices":[{"index":0,"delta":{"content":"x"}}],"usage":{"prompt_tokens":1e2}}`,
	`{"choices":[{"index":0,"delta":{"content":"x"}}]} trailing`,
	`{"choices":[{"index":0,"delta":{"content":"x"}}]`,
	`{"choices":[{"index":0,"delta":{"content":"bad \x escape"}}]}`,
	"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"raw\ttab\"}}]}",
	"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bad utf8 \xff\"}}]}",
	`{"choices":[{"index":0,"delta":{"content":7}}]}`,
	`{"choices":null}`,
	`{"choices":[{"index":0,"delta":null,"message":null}]}`,
	`{"a":[1,-2.5e-3,true,false,null,{"b":{"c":[]}}],"choices":[{"index":0,"delta":{"content":"deep"}}]}`,
	`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":tru}`, `{"a":"x",}`, `{,}`, `[]`, `null`, ``, `{}`,
	`{"\u0063hoices":[{"index":0,"delta":{"content":"escaped key"}}]}`,
	"{\"ch\xc3\xb6ices\":[]}",
	`{"unknown":{"\x":1}}`,
	`{"choices":[{"index":0,"delta":{"content":"x"},"logprobs":{"content":[{"token":"x","logprob":-0.1,"bytes":[120],"top_logprobs":[]}]}}]}`,
	`{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null,"finish_reason":"stop"}]}`,
	`{"choices":[{"index":0,"delta":{"content":"x"}}],"usage":{"prompt_tokens":1,"Prompt_Tokens":2}}`,
	`{"usage":{"prompt_tokens":-3,"completion_tokens":0}}`,
	`{"id":[]}`, `{"Model":7,"choices":[]}`, `{"created":1.5,"choices":[]}`, `{"created":null,"id":null}`,
}

func TestFastDecode_matches_encoding_json(t *testing.T) {
	accepted := 0
	for _, in := range fastDecodeSeeds {
		t.Run(in, func(t *testing.T) {
			if requireFastMatchesJSON(t, []byte(in)) {
				accepted++
			}
		})
	}
	require.GreaterOrEqual(t, accepted, 12, "the common shapes take the fast path")
}

func TestFastDecode_takes_the_common_shapes(t *testing.T) {
	for _, in := range fastDecodeSeeds[:9] {
		var chunk chunkBody
		var comp completionBody
		var slot wire.Text
		require.True(t, fastDecodeChunk([]byte(in), &chunk, &slot) || fastDecodeCompletion([]byte(in), &comp),
			"fast path refused %s", in)
	}
}

func FuzzFastDecode(f *testing.F) {
	for _, in := range fastDecodeSeeds {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { requireFastMatchesJSON(t, in) })
}

// requireFastMatchesJSON checks that whatever a fast decoder accepts,
// encoding/json accepts with the same result into the same type; it
// reports whether either accepted.
func requireFastMatchesJSON(t *testing.T, in []byte) bool {
	t.Helper()
	var slot wire.Text
	chunk := requireSame(t, in, func(out *chunkBody) bool { return fastDecodeChunk(in, out, &slot) },
		func(c *chunkBody, emptyChoices bool) {
			c.ID, c.Object, c.Created, c.Model = "", "", 0, ""
			if emptyChoices {
				c.Choices = nil
			}
		})
	comp := requireSame(t, in, func(out *completionBody) bool { return fastDecodeCompletion(in, out) },
		func(c *completionBody, emptyChoices bool) {
			c.ID, c.Object, c.Created, c.Model = "", "", 0, ""
			if len(c.Choices) > 0 && c.Choices[0].Message.Content != nil {
				c.content = *c.Choices[0].Message.Content // the fast path's storage
			}
			if emptyChoices {
				c.Choices = nil
			}
		})
	return chunk || comp
}

// requireSame decodes in with fast and with encoding/json and requires the
// same value when fast accepts, once unread clears what the fast path
// leaves out: the object's id, object, created and model, and an empty
// choices array (an empty array and no array read the same).
func requireSame[T any](t *testing.T, in []byte, fast func(*T) bool, unread func(v *T, emptyChoices bool)) bool {
	t.Helper()
	var got T
	if !fast(&got) {
		return false
	}
	var want T
	require.NoError(t, json.Unmarshal(in, &want), "fast path accepted what encoding/json rejects: %s", in)
	empty := reflect.ValueOf(want).FieldByName("Choices").Len() == 0 && reflect.ValueOf(got).FieldByName("Choices").Len() == 0
	unread(&want, empty)
	unread(&got, empty)
	require.Equal(t, want, got, "input %s", strings.TrimSpace(string(in)))
	return true
}
