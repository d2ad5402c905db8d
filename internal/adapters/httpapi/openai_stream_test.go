package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// The content-only fast path must write the very bytes of the generic
// chunk encoding.
func TestChatStream_content_chunks_match_the_generic_encoding(t *testing.T) {
	texts := append([]string{" token", "ünï ✓", "line\nbreak \"q\" <b>&</b>", "\x00\u2028"}, jsonStringSeeds...)
	for _, includeUsage := range []bool{false, true} {
		for _, model := range []string{"chorus", `we"ird <model>`} {
			head := chatChunk{Frame: openaiwire.Chunk{ID: "chatcmpl-1", Object: "chat.completion.chunk", Created: 1700000000, Model: model}}
			fast, fastOut := testChatStream(head, includeUsage)
			slow, slowOut := testChatStream(head, includeUsage)
			for _, text := range texts {
				require.NoError(t, fast.contentChunk(text))
				require.NoError(t, slow.chunk(openaiwire.Delta{Content: openaiwire.TextOf(&text)}, nil))
			}
			require.NotEmpty(t, slowOut.Body.String())
			require.Equal(t, slowOut.Body.String(), fastOut.Body.String(), "include_usage %v, model %q", includeUsage, model)
		}
	}
}

// The role chunk travels with the first content chunk in one write.
func TestChatStream_role_chunk_is_written_with_the_first_content(t *testing.T) {
	head := chatChunk{Frame: openaiwire.Chunk{ID: "chatcmpl-1", Object: "chat.completion.chunk", Created: 1700000000, Model: "chorus"}}
	o, out := testChatStream(head, false)
	o.roleSent = false
	require.NoError(t, o.role())
	require.Empty(t, out.Body.String(), "nothing written yet")
	require.False(t, o.sw.started)
	require.NoError(t, o.contentChunk("hi"))
	require.Equal(t, `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"chorus","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`+"\n\n"+
		`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"chorus","choices":[{"index":0,"delta":{"content":"hi"},"logprobs":null,"finish_reason":null}]}`+"\n\n",
		out.Body.String())
}

func testChatStream(head chatChunk, includeUsage bool) (*chatStream, *httptest.ResponseRecorder) {
	rec := httptest.NewRecorder()
	c := echo.New().NewContext(httptest.NewRequest(http.MethodPost, "/v1/chat/completions", nil), rec)
	return &chatStream{sw: newStreamWriter(c, mimeSSE), head: head, includeUsage: includeUsage, roleSent: true}, rec
}
