package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestOllamaGenerate_NonStream(t *testing.T) {
	eachWorkflowFlag(t, func(t *testing.T, withWorkflow bool) {
		s, gw := newTestServer(t)
		var got domain.ChatRequest
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, result("Hello!")))
		body := `{"model":"chorus","prompt":"Hi","system":"Be brief","stream":false,
				"options":{"temperature":0.3,"top_p":0.9,"num_predict":64,"stop":["END"],"seed":7},
				"format":"json","include_workflow":` + strconv.FormatBool(withWorkflow) + `}`
		rec := serve(t, s, http.MethodPost, "/api/generate", body)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

		require.False(t, got.Stream)
		require.Equal(t, withWorkflow, got.IncludeWorkflow)
		require.Equal(t, []domain.Message{{Role: domain.RoleSystem, Content: "Be brief"}, {Role: domain.RoleUser, Content: "Hi"}}, got.Messages)
		require.Equal(t, domain.SomeFloat(0.3), got.Params.Temperature)
		require.Equal(t, domain.SomeFloat(0.9), got.Params.TopP)
		require.Equal(t, domain.SomeInt(64), got.Params.MaxTokens)
		require.Equal(t, domain.SomeInt(7), got.Params.Seed)
		require.Equal(t, []string{"END"}, got.Params.Stop)
		require.JSONEq(t, `{"type":"json_object"}`, string(got.Params.ResponseFormat))

		m := decodeObject(t, rec.Body.String())
		require.Equal(t, "Hello!", m["response"])
		require.Equal(t, "chorus", m["model"])
		require.Equal(t, true, m["done"])
		require.Equal(t, "stop", m["done_reason"])
		require.EqualValues(t, 5, m["prompt_eval_count"])
		require.EqualValues(t, 7, m["eval_count"])
		require.Contains(t, m, "total_duration")
		// Clients compute tokens/s as eval_count / eval_duration.
		require.Greater(t, m["eval_duration"].(float64), 0.0)
		requireWorkflowKey(t, withWorkflow, m)
		if withWorkflow {
			wf := obj(t, m["workflow"])
			require.Equal(t, "wf-1", wf["workflow_id"])
			require.Len(t, arr(t, wf["workers"]), 2)
			require.Equal(t, "w1", obj(t, wf["selector"])["selected_worker"])
		}
	})
}

func TestOllamaChat_NonStreamKeepsRolesAndRendersToolCalls(t *testing.T) {
	s, gw := newTestServer(t)
	var got domain.ChatRequest
	res := result("")
	res.ToolCalls = []domain.ToolCall{{ID: "c1", Name: "get_weather", Arguments: `{"city":"Paris"}`}}
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).DoAndReturn(captureReq(&got, res))
	body := `{"model":"gpt-x","stream":false,"messages":[
		{"role":"system","content":"sys"},
		{"role":"user","content":"weather?","images":["aGVsbG8="]},
		{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
		{"role":"tool","content":"sunny","tool_name":"get_weather"}],
		"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}`
	rec := serve(t, s, http.MethodPost, "/api/chat", body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	require.Len(t, got.Messages, 4)
	require.Equal(t, domain.RoleSystem, got.Messages[0].Role)
	require.Equal(t, []string{"aGVsbG8="}, got.Messages[1].Images)
	require.JSONEq(t, `{"city":"Paris"}`, got.Messages[2].ToolCalls[0].Arguments)
	require.Equal(t, domain.RoleTool, got.Messages[3].Role)
	require.Equal(t, "get_weather", got.Params.Tools[0].Name)

	msg := obj(t, decodeObject(t, rec.Body.String())["message"])
	call := obj(t, obj(t, arr(t, msg["tool_calls"])[0])["function"])
	require.Equal(t, "get_weather", call["name"])
	require.Equal(t, map[string]any{"city": "Paris"}, call["arguments"], "Ollama arguments are an object")
}

func TestOllamaChat_StreamsNDJSONByDefault(t *testing.T) {
	eachWorkflowFlag(t, func(t *testing.T, withWorkflow bool) {
		s, gw := newTestServer(t)
		events := append([]domain.StreamEvent{keepAlive}, deltas("Hel", "lo")...)
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, result("Hello"), nil))
		body := `{"model":"chorus","messages":[{"role":"user","content":"hi"}],"include_workflow":` +
			strconv.FormatBool(withWorkflow) + `}`
		rec := serve(t, s, http.MethodPost, "/api/chat", body)
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "application/x-ndjson", contentType(rec))
		require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"))
		require.Equal(t, "no", rec.Header().Get("X-Accel-Buffering"))

		lines := parseNDJSON(t, rec.Body.String())
		require.Len(t, lines, 4)
		var text strings.Builder
		for _, l := range lines[:3] {
			require.Equal(t, false, l["done"])
			require.Equal(t, "assistant", obj(t, l["message"])["role"])
			require.NotEmpty(t, l["created_at"])
			text.WriteString(obj(t, l["message"])["content"].(string))
		}
		require.Empty(t, obj(t, lines[0]["message"])["content"], "keep-alive is an empty chunk")
		require.Equal(t, "Hello", text.String())
		final := lines[3]
		require.Equal(t, true, final["done"])
		require.Equal(t, "stop", final["done_reason"])
		require.EqualValues(t, 7, final["eval_count"])
		requireWorkflowKey(t, withWorkflow, final)
	})
}

func TestOllamaGenerate_StreamsSSEWhenAsked(t *testing.T) {
	s, gw := newTestServer(t)
	events := append([]domain.StreamEvent{keepAlive}, deltas("a", "b")...)
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, result("ab"), nil))
	rec := serve(t, s, http.MethodPost, "/api/generate", `{"prompt":"x","include_workflow":true}`, "Accept", "text/event-stream")
	require.Equal(t, mimeSSE, contentType(rec))
	frames := parseSSE(t, rec.Body.String())
	require.True(t, frames[0].comment, "keep-alive is an SSE comment")
	require.Equal(t, "[DONE]", frames[len(frames)-1].data)
	objs := dataFrames(t, frames)
	require.Len(t, objs, 3)
	require.Equal(t, "a", objs[0]["response"])
	require.Equal(t, "b", objs[1]["response"])
	require.Equal(t, true, objs[2]["done"])
	require.Contains(t, objs[2], "response")
	require.Empty(t, objs[2]["response"])
	require.Contains(t, objs[2], "workflow")
}

func TestOllama_MidStreamErrorIsNotACleanFinish(t *testing.T) {
	upstream := &domain.LLMError{Model: "w1", Kind: domain.LLMStatus, Status: 500, Message: "overloaded"}
	t.Run("NDJSON ends with an error line and no done:true", func(t *testing.T) {
		s, gw := newTestServer(t)
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(deltas("par"), domain.ChatResult{}, upstream))
		rec := serve(t, s, http.MethodPost, "/api/chat", `{"messages":[{"role":"user","content":"hi"}]}`)
		lines := parseNDJSON(t, rec.Body.String())
		require.Len(t, lines, 2)
		require.Contains(t, lines[1]["error"], "overloaded")
		for _, l := range lines {
			require.NotEqual(t, true, l["done"])
		}
	})
	t.Run("SSE ends with an error event and no [DONE]", func(t *testing.T) {
		s, gw := newTestServer(t)
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(deltas("par"), domain.ChatResult{}, upstream))
		rec := serve(t, s, http.MethodPost, "/api/generate", `{"prompt":"hi"}`, "Accept", "text/event-stream")
		frames := parseSSE(t, rec.Body.String())
		last := frames[len(frames)-1]
		require.NotEqual(t, "[DONE]", last.data)
		require.Contains(t, decodeObject(t, last.data)["error"], "overloaded")
	})
	t.Run("a failure before the first chunk gets a real status", func(t *testing.T) {
		s, gw := newTestServer(t)
		fail := &domain.AllWorkersFailedError{Plan: "p", Failures: []domain.WorkerFailure{{Label: "w1", Err: errors.New("down")}}}
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(nil, domain.ChatResult{}, fail))
		rec := serve(t, s, http.MethodPost, "/api/chat", `{"messages":[{"role":"user","content":"hi"}]}`)
		require.Equal(t, http.StatusBadGateway, rec.Code)
		require.Contains(t, ollamaErrorText(t, rec.Body.String()), "All worker models failed")
	})
}

func TestOllamaChat_StreamSendsToolCallsBeforeTheFinalObject(t *testing.T) {
	s, gw := newTestServer(t)
	res := result("")
	res.ToolCalls = []domain.ToolCall{{Name: "f", Arguments: `{"a":1}`}}
	frag := domain.StreamEvent{Delta: domain.Delta{ToolCalls: []domain.ToolCall{{Name: "f", Arguments: `{"a":`}}}}
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf([]domain.StreamEvent{frag}, res, nil))
	rec := serve(t, s, http.MethodPost, "/api/chat", `{"messages":[{"role":"user","content":"hi"}]}`)
	lines := parseNDJSON(t, rec.Body.String())
	require.Len(t, lines, 2)
	fn := obj(t, obj(t, arr(t, obj(t, lines[0]["message"])["tool_calls"])[0])["function"])
	require.Equal(t, map[string]any{"a": float64(1)}, fn["arguments"])
	require.Equal(t, true, lines[1]["done"])
}
