package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestResponses_NonStream(t *testing.T) {
	eachWorkflowFlag(t, func(t *testing.T, withWorkflow bool) {
		s, gw := newTestServer(t)
		var got domain.ChatRequest
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, result("Hello")))
		rec := serve(t, s, http.MethodPost, "/v1/responses",
			`{"model":"chorus","instructions":"Be kind","input":"Hi","max_output_tokens":9,"include_workflow":`+strconv.FormatBool(withWorkflow)+`}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Len(t, got.Messages, 2)
		require.Equal(t, domain.SomeInt(9), got.Params.MaxTokens)

		m := decodeObject(t, rec.Body.String())
		require.True(t, strings.HasPrefix(m["id"].(string), "resp_"))
		require.Equal(t, "response", m["object"])
		require.Equal(t, "completed", m["status"])
		require.NotZero(t, m["created_at"])
		item := obj(t, arr(t, m["output"])[0])
		require.Equal(t, "message", item["type"])
		require.True(t, strings.HasPrefix(item["id"].(string), "msg_"))
		part := obj(t, arr(t, item["content"])[0])
		require.Equal(t, "output_text", part["type"])
		require.Equal(t, "Hello", part["text"])
		require.Equal(t, []any{}, part["annotations"])
		require.Equal(t, "Hello", m["output_text"])
		require.EqualValues(t, 12, obj(t, m["usage"])["total_tokens"])
		requireWorkflowKey(t, withWorkflow, m)
	})
}

func TestResponses_EmptyPayloadIsTheExact400(t *testing.T) {
	s, _ := newTestServer(t)
	rec := serve(t, s, http.MethodPost, "/v1/responses", `{}`)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Equal(t, "invalid request: missing input/messages/prompt/instructions",
		obj(t, decodeObject(t, rec.Body.String())["error"])["message"])
}

func TestResponses_StreamEventSequence(t *testing.T) {
	eachWorkflowFlag(t, func(t *testing.T, withWorkflow bool) {
		s, gw := newTestServer(t)
		events := append([]domain.StreamEvent{keepAlive}, deltas("Hel", "lo")...)
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, result("Hello"), nil))
		rec := serve(t, s, http.MethodPost, "/v1/responses", `{"input":"hi","stream":true,"include_workflow":`+strconv.FormatBool(withWorkflow)+`}`)
		require.Equal(t, mimeSSE, contentType(rec))
		frames := parseSSE(t, rec.Body.String())
		var types []string
		seq := -1.0
		var final map[string]any
		for _, f := range frames {
			if f.comment {
				continue
			}
			require.NotEqual(t, "[DONE]", f.data)
			ev := decodeObject(t, f.data)
			require.Equal(t, f.event, ev["type"])
			require.Greater(t, ev["sequence_number"].(float64), seq)
			seq = ev["sequence_number"].(float64)
			types = append(types, f.event)
			if f.event == "response.output_item.added" {
				// openai-node's accumulator iterates item.content here.
				require.Equal(t, []any{}, obj(t, ev["item"])["content"])
			}
			if f.event == "response.output_text.delta" {
				require.Equal(t, []any{}, ev["logprobs"])
				require.EqualValues(t, 0, ev["output_index"])
				require.EqualValues(t, 0, ev["content_index"])
			}
			final = ev
		}
		require.Equal(t, []string{"response.created", "response.in_progress", "response.output_item.added",
			"response.content_part.added", "response.output_text.delta", "response.output_text.delta",
			"response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"}, types)
		resp := obj(t, final["response"])
		require.True(t, strings.HasPrefix(resp["id"].(string), "resp_"))
		require.Equal(t, "completed", resp["status"])
		require.Equal(t, "Hello", obj(t, arr(t, obj(t, arr(t, resp["output"])[0])["content"])[0])["text"])
		require.Contains(t, resp, "usage")
		requireWorkflowKey(t, withWorkflow, resp)
	})
}

func TestResponses_StreamErrorEndsWithResponseFailed(t *testing.T) {
	s, gw := newTestServer(t)
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		streamOf(deltas("x"), domain.ChatResult{}, &domain.StageError{Stage: "synthesizer", Err: domain.ErrStageTimeout}))
	rec := serve(t, s, http.MethodPost, "/v1/responses", `{"input":"hi","stream":true}`)
	frames := parseSSE(t, rec.Body.String())
	n := len(frames)
	require.Equal(t, "error", frames[n-2].event)
	require.Equal(t, "timeout", decodeObject(t, frames[n-2].data)["code"])
	require.Equal(t, "response.failed", frames[n-1].event)
	require.Equal(t, "failed", obj(t, decodeObject(t, frames[n-1].data)["response"])["status"])
}

func TestResponses_ToolCallsBecomeFunctionCallItems(t *testing.T) {
	s, gw := newTestServer(t)
	res := result("")
	res.ToolCalls = []domain.ToolCall{{ID: "call_9", Name: "f", Arguments: `{"x":1}`}}
	var got domain.ChatRequest
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, res))
	rec := serve(t, s, http.MethodPost, "/v1/responses", `{"input":"hi","tools":[{"type":"function","name":"f","parameters":{"type":"object"}}]}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "f", got.Params.Tools[0].Name)
	item := obj(t, arr(t, decodeObject(t, rec.Body.String())["output"])[0])
	require.Equal(t, "function_call", item["type"])
	require.Equal(t, "call_9", item["call_id"])
	require.Equal(t, `{"x":1}`, item["arguments"])
}
