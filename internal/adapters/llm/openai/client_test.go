package openai_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm/openai"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// newClient returns a client for a fake server at srv.
func newClient(srv *fakeupstream.Server, key string) *openai.Client {
	return openai.New(domain.ModelSpec{Name: "gpt-fake", Provider: domain.ProviderOpenAI,
		APIBase: srv.URL() + "/v1", APIKey: domain.NewSecret(key)}, openai.Options{HTTPClient: srv.Client()})
}

// call is a one-message call.
func call(text string) domain.ModelCall {
	return domain.ModelCall{Model: "gpt-fake", Messages: []domain.Message{{Role: domain.RoleUser, Content: text}}}
}

func TestRequest_forwards_params_and_omits_unset_ones(t *testing.T) {
	srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
		fakeupstream.OpenAI{}.WriteJSON(w, fakeupstream.Answer{Text: "ok"})
	})
	c := newClient(srv, "")
	full := call("hi")
	full.Messages = []domain.Message{
		{Role: domain.RoleSystem, Content: "be brief"},
		{Role: domain.RoleUser, Content: "what is this?", Name: "alice", Images: []string{"https://x/cat.png", "iVBORw0KGgo="}},
	}
	full.Params = domain.Params{
		Temperature: domain.SomeFloat(0), TopP: domain.SomeFloat(0.9), MaxTokens: domain.SomeInt(64),
		Seed: domain.SomeInt(7), PresencePenalty: domain.SomeFloat(0.1), FrequencyPenalty: domain.SomeFloat(0.2),
		Stop: []string{"END"}, ToolChoice: domain.RawJSON(`"auto"`),
		ResponseFormat: domain.RawJSON(`{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}`),
	}
	cases := []struct {
		name  string
		call  domain.ModelCall
		check func(t *testing.T, body map[string]any, hdr http.Header)
	}{
		{name: "every set param is sent", call: full, check: func(t *testing.T, body map[string]any, hdr http.Header) {
			require.InDelta(t, 0.0, body["temperature"], 0, "an explicit zero temperature is sent")
			require.InDelta(t, 0.9, body["top_p"], 0)
			require.EqualValues(t, 64, body["max_tokens"])
			require.EqualValues(t, 7, body["seed"])
			require.InDelta(t, 0.1, body["presence_penalty"], 0)
			require.InDelta(t, 0.2, body["frequency_penalty"], 0)
			require.Equal(t, []any{"END"}, body["stop"])
			require.Equal(t, "auto", body["tool_choice"])
			require.Equal(t, "json_schema", body["response_format"].(map[string]any)["type"])
			msgs := body["messages"].([]any)
			require.Equal(t, "be brief", msgs[0].(map[string]any)["content"])
			user := msgs[1].(map[string]any)
			require.Equal(t, "alice", user["name"])
			parts := user["content"].([]any)
			require.Len(t, parts, 3)
			require.Equal(t, "what is this?", parts[0].(map[string]any)["text"])
			require.Equal(t, "https://x/cat.png", parts[1].(map[string]any)["image_url"].(map[string]any)["url"])
			require.Equal(t, "data:image/png;base64,iVBORw0KGgo=", parts[2].(map[string]any)["image_url"].(map[string]any)["url"])
		}},
		{name: "unset params and the key stay out", call: call("hi"), check: func(t *testing.T, body map[string]any, hdr http.Header) {
			for _, k := range []string{"temperature", "top_p", "max_tokens", "seed", "stop", "tools", "tool_choice", "response_format", "stream", "stream_options"} {
				require.NotContains(t, body, k)
			}
			require.Empty(t, hdr.Get("Authorization"), "no key, no Authorization header")
			require.Equal(t, "gpt-fake", body["model"])
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Complete(t.Context(), tc.call)
			require.NoError(t, err)
			reqs := srv.Requests()
			tc.check(t, srv.LastJSON(t), reqs[len(reqs)-1].Header)
		})
	}
}

func TestStream_asks_for_usage_and_handles_SSE_framing_variants(t *testing.T) {
	chunk := func(content string) string {
		return `{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":` + quote(content) + `},"finish_reason":null}]}`
	}
	finish := `{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`
	cases := []struct {
		name      string
		body      string
		wantUsage domain.Usage
	}{
		{name: "LF frames with keep-alive comments and a usage chunk with empty choices",
			body:      ": keep-alive\n\ndata: " + chunk("Hel") + "\n\n: OPENROUTER PROCESSING\n\ndata: " + chunk("lo") + "\n\ndata: " + finish + "\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n",
			wantUsage: domain.Usage{InputTokens: 4, OutputTokens: 2}},
		{name: "CRLF frames, event lines and a usage chunk with null choices",
			body:      "event: message\r\ndata: " + chunk("Hel") + "\r\n\r\nid: 2\r\ndata:" + chunk("lo") + "\r\n\r\ndata: " + finish + "\r\n\r\ndata: {\"choices\":null,\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}\r\n\r\ndata: [DONE]\r\n\r\n",
			wantUsage: domain.Usage{InputTokens: 9, OutputTokens: 1}},
		{name: "no blank lines between events",
			body:      "data: " + chunk("Hel") + "\ndata: " + chunk("lo") + "\ndata: " + finish + "\ndata: [DONE]\n",
			wantUsage: domain.Usage{}},
		{name: "finish reason merged with usage and no [DONE]",
			body:      "data: " + chunk("Hel") + "\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n",
			wantUsage: domain.Usage{InputTokens: 1, OutputTokens: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeupstream.Start(t, fakeupstream.Raw("text/event-stream", tc.body))
			var got fakeupstream.Deltas

			comp, err := newClient(srv, "").Stream(t.Context(), call("hi"), got.Emit)

			require.NoError(t, err)
			require.Equal(t, "Hello", got.Text())
			require.Equal(t, "Hello", comp.Text)
			require.Equal(t, domain.FinishStop, comp.FinishReason)
			require.Equal(t, tc.wantUsage, comp.Usage)
			body := srv.LastJSON(t)
			require.Equal(t, true, body["stream"])
			require.Equal(t, map[string]any{"include_usage": true}, body["stream_options"])
		})
	}
}

func TestStream_a_plain_JSON_reply_is_emitted_exactly_once(t *testing.T) {
	srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
		fakeupstream.OpenAI{}.WriteJSON(w, fakeupstream.Answer{Text: "whole answer", PromptTok: 3, OutputTok: 2})
	})
	var got fakeupstream.Deltas

	comp, err := newClient(srv, "").Stream(t.Context(), call("hi"), got.Emit)

	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "whole answer", got.Text())
	require.Equal(t, "whole answer", comp.Text)
	require.Equal(t, domain.Usage{InputTokens: 3, OutputTokens: 2}, comp.Usage)
}

func TestStream_reasoning_deltas_stay_out_of_the_answer(t *testing.T) {
	body := "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm \"}}]}\n\n" +
		"data: {\"choices\":[{\"delta\":{\"reasoning\":\"ok\"}}]}\n\n" +
		"data: {\"choices\":[{\"delta\":{\"content\":\"42\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
	srv := fakeupstream.Start(t, fakeupstream.Raw("text/event-stream", body))
	var got fakeupstream.Deltas

	comp, err := newClient(srv, "").Stream(t.Context(), call("hi"), got.Emit)

	require.NoError(t, err)
	require.Equal(t, "42", comp.Text)
	require.Equal(t, "hmm ok", comp.Reasoning)
	require.Equal(t, "42", got.Text())
}

func TestStream_tool_call_fragments_are_merged_by_index(t *testing.T) {
	body := `data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}` + "\n\n" +
		`data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}` + "\n\n" +
		`data: {"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"get_time","arguments":"{}"}}]}}]}` + "\n\n" +
		`data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}` + "\n\n" +
		`data: {"choices":[{"delta":{},"finish_reason":"tool_calls"}]}` + "\n\ndata: [DONE]\n\n"
	srv := fakeupstream.Start(t, fakeupstream.Raw("text/event-stream", body))
	var got fakeupstream.Deltas

	comp, err := newClient(srv, "").Stream(t.Context(), call("hi"), got.Emit)

	require.NoError(t, err)
	require.Equal(t, []domain.ToolCall{
		{Index: 0, ID: "call_a", Name: "get_weather", Arguments: `{"city":"Paris"}`},
		{Index: 1, ID: "call_b", Name: "get_time", Arguments: `{}`},
	}, comp.ToolCalls)
	require.Equal(t, domain.FinishToolCalls, comp.FinishReason)
	require.Len(t, got, 5, "each fragment is forwarded")
}

func TestStream_ending_without_DONE_or_finish_reason_is_an_error(t *testing.T) {
	body := "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n"
	srv := fakeupstream.Start(t, fakeupstream.Raw("text/event-stream", body))

	_, err := newClient(srv, "").Stream(t.Context(), call("hi"), (&fakeupstream.Deltas{}).Emit)

	var lerr *domain.LLMError
	require.ErrorAs(t, err, &lerr)
	require.Equal(t, domain.LLMBadResponse, lerr.Kind)
	require.Contains(t, lerr.Message, "stream ended early")
}

func TestComplete_provider_errors_inside_a_200_body_are_errors(t *testing.T) {
	cases := []struct {
		name       string
		body       string
		wantKind   domain.LLMErrorKind
		wantStatus int
		wantMsg    string
	}{
		{name: "iFlow status 434", body: `{"status":"434","msg":"Invalid apiKey","body":null}`,
			wantKind: domain.LLMStatus, wantStatus: 434, wantMsg: "Invalid apiKey"},
		{name: "error object", body: `{"error":{"message":"quota exceeded","code":"insufficient_quota"}}`,
			wantKind: domain.LLMBadResponse, wantMsg: "quota exceeded"},
		{name: "error object with numeric code", body: `{"error":{"message":"rate limited","code":429}}`,
			wantKind: domain.LLMStatus, wantStatus: 429, wantMsg: "rate limited"},
		{name: "error string", body: `{"error":"model not found"}`,
			wantKind: domain.LLMBadResponse, wantMsg: "model not found"},
		{name: "success false", body: `{"success":false,"message":"no credit"}`,
			wantKind: domain.LLMBadResponse, wantMsg: "no credit"},
		{name: "empty message", body: `{"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"length"}]}`,
			wantKind: domain.LLMBadResponse, wantMsg: "empty content"},
		{name: "not an object", body: `[1,2,3]`, wantKind: domain.LLMBadResponse, wantMsg: "invalid JSON"},
		{name: "truncated", body: `{"choices":[{"message":{"content":"hi`, wantKind: domain.LLMBadResponse, wantMsg: "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeupstream.Start(t, fakeupstream.Raw("application/json", tc.body))

			_, err := newClient(srv, "").Complete(t.Context(), call("hi"))

			var lerr *domain.LLMError
			require.ErrorAs(t, err, &lerr)
			require.Equal(t, tc.wantKind, lerr.Kind)
			require.Equal(t, tc.wantStatus, lerr.Status)
			require.Contains(t, lerr.Message, tc.wantMsg)
			require.Equal(t, "gpt-fake", lerr.Model)
		})
	}
}

func TestComplete_content_in_parts_and_legacy_text_are_read(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{name: "content parts", body: `{"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]}`, want: "ab"},
		{name: "legacy text", body: `{"choices":[{"text":"legacy"}]}`, want: "legacy"},
		{name: "object arguments tolerated", body: `{"choices":[{"message":{"content":"x","tool_calls":[{"id":"1","function":{"name":"f","arguments":{"a": 1}}}]}}]}`, want: "x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeupstream.Start(t, fakeupstream.Raw("application/json", tc.body))

			comp, err := newClient(srv, "").Complete(t.Context(), call("hi"))

			require.NoError(t, err)
			require.Equal(t, tc.want, comp.Text)
		})
	}
}

// quote returns s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
