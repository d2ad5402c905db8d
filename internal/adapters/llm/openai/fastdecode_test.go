package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
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
		var got wireResponse
		require.True(t, fastDecode([]byte(in), &got), "fast path refused %s", in)
	}
}

func FuzzFastDecode(f *testing.F) {
	for _, in := range fastDecodeSeeds {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { requireFastMatchesJSON(t, in) })
}

// requireFastMatchesJSON checks that whatever the fast path accepts,
// encoding/json accepts with the same result; it reports acceptance.
func requireFastMatchesJSON(t *testing.T, in []byte) bool {
	t.Helper()
	var fast wireResponse
	if !fastDecode(in, &fast) {
		return false
	}
	var want wireResponse
	require.NoError(t, json.Unmarshal(in, &want), "fast path accepted what encoding/json rejects: %s", in)
	if len(want.Choices) == 0 && len(fast.Choices) == 0 {
		want.Choices, fast.Choices = nil, nil // an empty array and no array read the same
	}
	require.Equal(t, want, fast, "input %s", strings.TrimSpace(string(in)))
	return true
}
