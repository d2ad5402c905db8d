package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestChatCompletions_NonStream(t *testing.T) {
	eachWorkflowFlag(t, func(t *testing.T, withWorkflow bool) {
		s, gw := newTestServer(t)
		var got domain.ChatRequest
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, result("Hi there")))
		body := `{"model":"chorus","messages":[{"role":"developer","content":"sys"},{"role":"user","content":"hi"}],
				"temperature":0.5,"max_tokens":10,"max_completion_tokens":20,"stop":"x","seed":1,
				"presence_penalty":0.1,"frequency_penalty":0.2,"tool_choice":"auto","response_format":{"type":"json_object"},
				"include_workflow":` + strconv.FormatBool(withWorkflow) + `}`
		rec := serve(t, s, http.MethodPost, "/v1/chat/completions", body)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

		require.Equal(t, []domain.Message{{Role: domain.RoleSystem, Content: "sys"}, {Role: domain.RoleUser, Content: "hi"}}, got.Messages)
		require.False(t, got.Stream)
		require.Equal(t, domain.SomeInt(20), got.Params.MaxTokens, "max_completion_tokens wins")
		require.Equal(t, []string{"x"}, got.Params.Stop)
		require.Equal(t, domain.SomeFloat(0.2), got.Params.FrequencyPenalty)
		require.Equal(t, `"auto"`, string(got.Params.ToolChoice))
		require.JSONEq(t, `{"type":"json_object"}`, string(got.Params.ResponseFormat))

		m := decodeObject(t, rec.Body.String())
		require.True(t, strings.HasPrefix(m["id"].(string), "chatcmpl-"))
		require.Equal(t, "chat.completion", m["object"])
		require.NotZero(t, m["created"])
		choice := obj(t, arr(t, m["choices"])[0])
		require.Equal(t, "stop", choice["finish_reason"])
		require.Equal(t, "Hi there", obj(t, choice["message"])["content"])
		require.Equal(t, map[string]any{"prompt_tokens": 5.0, "completion_tokens": 7.0, "total_tokens": 12.0}, m["usage"])
		requireWorkflowKey(t, withWorkflow, m)
	})
}

func TestChatCompletions_DecodesPartsToolsAndToolMessages(t *testing.T) {
	s, gw := newTestServer(t)
	var got domain.ChatRequest
	res := result("")
	res.ToolCalls = []domain.ToolCall{{ID: "call_1", Name: "lookup", Arguments: `{"q":"go"}`}}
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, res))
	body := `{"model":"gpt-x","stop":["a","b"],"messages":[
		{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA"}},{"type":"text","text":"here"}]},
		{"role":"assistant","content":null,"tool_calls":[{"id":"call_0","type":"function","function":{"name":"lookup","arguments":"{}"}}]},
		{"role":"tool","tool_call_id":"call_0","content":"result"}],
		"tools":[{"type":"function","function":{"name":"lookup","description":"d","parameters":{"type":"object"}}}]}`
	rec := serve(t, s, http.MethodPost, "/v1/chat/completions", body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	require.Equal(t, "look\nhere", got.Messages[0].Content)
	require.Equal(t, []string{"data:image/png;base64,AA"}, got.Messages[0].Images)
	require.Equal(t, []domain.ToolCall{{ID: "call_0", Name: "lookup", Arguments: "{}"}}, got.Messages[1].ToolCalls)
	require.Equal(t, domain.Message{Role: domain.RoleTool, Content: "result", ToolCallID: "call_0"}, got.Messages[2])
	require.Equal(t, []string{"a", "b"}, got.Params.Stop)
	require.Equal(t, domain.Tool{Name: "lookup", Description: "d", Parameters: domain.RawJSON(`{"type":"object"}`)}, got.Params.Tools[0])

	choice := obj(t, arr(t, decodeObject(t, rec.Body.String())["choices"])[0])
	require.Equal(t, "tool_calls", choice["finish_reason"])
	msg := obj(t, choice["message"])
	require.Nil(t, msg["content"])
	fn := obj(t, obj(t, arr(t, msg["tool_calls"])[0])["function"])
	args, isString := fn["arguments"].(string)
	require.True(t, isString, "OpenAI arguments are a string")
	require.JSONEq(t, `{"q":"go"}`, args)
}

func TestChatCompletions_Stream(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		includeUsage, workflow bool
	}{
		{"plain stream", false, false},
		{"include_usage adds a usage chunk with no choices", true, false},
		{"include_workflow puts the trace in the final chunk", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, gw := newTestServer(t)
			var got domain.ChatRequest
			events := append([]domain.StreamEvent{keepAlive}, deltas("Hel", "lo")...)
			gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
				func(ctx context.Context, r domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error) {
					got = r
					return streamOf(events, result("Hello"), nil)(ctx, r, emit)
				})
			body := `{"messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":` +
				strconv.FormatBool(tc.includeUsage) + `},"include_workflow":` + strconv.FormatBool(tc.workflow) + `}`
			rec := serve(t, s, http.MethodPost, "/v1/chat/completions", body)
			require.Equal(t, http.StatusOK, rec.Code)
			require.True(t, got.Stream)
			require.Equal(t, mimeSSE, contentType(rec))

			frames := parseSSE(t, rec.Body.String())
			require.Equal(t, "[DONE]", frames[len(frames)-1].data)
			require.True(t, frames[1].comment, "keep-alive is an SSE comment after the role chunk")
			chunks := dataFrames(t, frames)
			id := chunks[0]["id"]
			require.True(t, strings.HasPrefix(id.(string), "chatcmpl-"))
			var text strings.Builder
			for i, ch := range chunks {
				require.Equal(t, id, ch["id"], "same id on every chunk")
				require.Equal(t, "chat.completion.chunk", ch["object"])
				require.NotContains(t, ch, "error", "a successful chunk has no error key")
				if tc.includeUsage && i < len(chunks)-1 {
					require.Contains(t, ch, "usage")
					require.Nil(t, ch["usage"])
				}
				if cs := arr(t, ch["choices"]); len(cs) > 0 {
					if c, ok := obj(t, obj(t, cs[0])["delta"])["content"].(string); ok {
						text.WriteString(c)
					}
				}
			}
			require.Equal(t, "Hello", text.String())
			first := obj(t, arr(t, chunks[0]["choices"])[0])
			require.Equal(t, "assistant", obj(t, first["delta"])["role"])
			require.Nil(t, first["finish_reason"])

			finalIdx := len(chunks) - 1
			if tc.includeUsage {
				usage := chunks[finalIdx]
				require.Empty(t, arr(t, usage["choices"]))
				require.EqualValues(t, 12, obj(t, usage["usage"])["total_tokens"])
				finalIdx--
			}
			final := chunks[finalIdx]
			require.Equal(t, "stop", obj(t, arr(t, final["choices"])[0])["finish_reason"])
			_, has := final["workflow"]
			require.Equal(t, tc.workflow, has)
		})
	}
}

func TestChatCompletions_StreamRelaysToolCallFragments(t *testing.T) {
	s, gw := newTestServer(t)
	res := result("")
	res.ToolCalls = []domain.ToolCall{{ID: "call_1", Name: "f", Arguments: `{"a":1}`}}
	events := []domain.StreamEvent{
		{Delta: domain.Delta{ToolCalls: []domain.ToolCall{{Index: 0, ID: "call_1", Name: "f"}}}},
		{Delta: domain.Delta{ToolCalls: []domain.ToolCall{{Index: 0, Arguments: `{"a":`}}}},
		{Delta: domain.Delta{ToolCalls: []domain.ToolCall{{Index: 0, Arguments: `1}`}}}},
	}
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, res, nil))
	rec := serve(t, s, http.MethodPost, "/v1/chat/completions", `{"messages":[{"role":"user","content":"hi"}],"stream":true}`)
	chunks := dataFrames(t, parseSSE(t, rec.Body.String()))
	require.Len(t, chunks, 5) // role, 3 fragments, finish
	var args strings.Builder
	for _, ch := range chunks[1:4] {
		tc := obj(t, arr(t, obj(t, obj(t, arr(t, ch["choices"])[0])["delta"])["tool_calls"])[0])
		require.EqualValues(t, 0, tc["index"])
		args.WriteString(obj(t, tc["function"])["arguments"].(string))
	}
	require.Equal(t, `{"a":1}`, args.String())
	first := obj(t, arr(t, obj(t, obj(t, arr(t, chunks[1]["choices"])[0])["delta"])["tool_calls"])[0])
	require.Equal(t, "call_1", first["id"])
	require.Equal(t, "function", first["type"])
	require.Equal(t, "tool_calls", obj(t, arr(t, chunks[4]["choices"])[0])["finish_reason"])
}

func TestOpenAI_MidStreamErrorHasNoDone(t *testing.T) {
	for _, path := range []string{"/v1/chat/completions", "/v1/completions"} {
		t.Run(path, func(t *testing.T) {
			s, gw := newTestServer(t)
			upstream := &domain.LLMError{Model: "syn", Kind: domain.LLMConnection, Message: "reset"}
			gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(deltas("par"), domain.ChatResult{}, upstream))
			body := `{"messages":[{"role":"user","content":"hi"}],"prompt":"hi","stream":true}`
			rec := serve(t, s, http.MethodPost, path, body)
			frames := parseSSE(t, rec.Body.String())
			for _, f := range frames {
				require.NotEqual(t, "[DONE]", f.data)
			}
			errObj := obj(t, decodeObject(t, frames[len(frames)-1].data)["error"])
			require.Equal(t, "model syn: could not connect to the upstream", errObj["message"])
			require.Equal(t, "upstream_error", errObj["type"])
			require.Equal(t, "upstream_error", errObj["code"])
		})
	}
}

func TestCompletions(t *testing.T) {
	t.Run("an array prompt is joined and answered as text_completion", func(t *testing.T) {
		s, gw := newTestServer(t)
		var got domain.ChatRequest
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, result("done")))
		rec := serve(t, s, http.MethodPost, "/v1/completions", `{"prompt":["a","b"],"max_tokens":5,"include_workflow":true}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, []domain.Message{{Role: domain.RoleUser, Content: "a\nb"}}, got.Messages)
		m := decodeObject(t, rec.Body.String())
		require.True(t, strings.HasPrefix(m["id"].(string), "cmpl-"))
		require.Equal(t, "text_completion", m["object"])
		choice := obj(t, arr(t, m["choices"])[0])
		require.Equal(t, "done", choice["text"])
		require.Equal(t, "stop", choice["finish_reason"])
		require.Contains(t, m, "workflow")
	})
	t.Run("a string prompt without include_workflow has no workflow key", func(t *testing.T) {
		s, gw := newTestServer(t)
		var got domain.ChatRequest
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, result("done")))
		rec := serve(t, s, http.MethodPost, "/v1/completions", `{"prompt":"one"}`)
		require.Equal(t, "one", got.Messages[0].Content)
		require.NotContains(t, decodeObject(t, rec.Body.String()), "workflow")
	})
	t.Run("streams text chunks, usage and [DONE]", func(t *testing.T) {
		s, gw := newTestServer(t)
		events := append(deltas("x"), keepAlive, domain.StreamEvent{Delta: domain.Delta{Text: "y"}})
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, result("xy"), nil))
		rec := serve(t, s, http.MethodPost, "/v1/completions", `{"prompt":"p","stream":true,"stream_options":{"include_usage":true},"include_workflow":true}`)
		frames := parseSSE(t, rec.Body.String())
		require.True(t, frames[1].comment)
		require.Equal(t, "[DONE]", frames[len(frames)-1].data)
		chunks := dataFrames(t, frames)
		require.Len(t, chunks, 4)
		require.Equal(t, "x", obj(t, arr(t, chunks[0]["choices"])[0])["text"])
		require.Equal(t, "y", obj(t, arr(t, chunks[1]["choices"])[0])["text"])
		require.Equal(t, "stop", obj(t, arr(t, chunks[2]["choices"])[0])["finish_reason"])
		require.Contains(t, chunks[2], "workflow")
		require.Empty(t, arr(t, chunks[3]["choices"]))
		require.EqualValues(t, 7, obj(t, chunks[3]["usage"])["completion_tokens"])
	})
}
