package ollama_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm/ollama"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// newClient returns a client for a fake server at srv.
func newClient(srv *fakeupstream.Server) *ollama.Client {
	return ollama.New(domain.ModelSpec{Name: "llama-fake", Provider: domain.ProviderOllama, APIBase: srv.URL() + "/"},
		ollama.Options{HTTPClient: srv.Client()})
}

// call is a one-message call.
func call(text string) domain.ModelCall {
	return domain.ModelCall{Model: "llama-fake", Messages: []domain.Message{{Role: domain.RoleUser, Content: text}}}
}

// ok answers every request with one short reply.
func ok(w http.ResponseWriter, _ *http.Request) {
	fakeupstream.Ollama{}.WriteJSON(w, fakeupstream.Answer{Text: "ok"})
}

func TestRequest_maps_params_to_ollama_options(t *testing.T) {
	srv := fakeupstream.Start(t, ok)
	c := newClient(srv)
	full := call("hi")
	full.Messages[0].Images = []string{"data:image/png;base64,iVBORw0KGgo=", "R0lGODlh"}
	full.Params = domain.Params{
		Temperature: domain.SomeFloat(0), TopP: domain.SomeFloat(0.5), MaxTokens: domain.SomeInt(32),
		Seed: domain.SomeInt(3), PresencePenalty: domain.SomeFloat(0.1), FrequencyPenalty: domain.SomeFloat(0.2),
		Stop: []string{"\n\n"},
	}
	cases := []struct {
		name  string
		call  domain.ModelCall
		check func(t *testing.T, body map[string]any)
	}{
		{name: "sampling params go into options", call: full, check: func(t *testing.T, body map[string]any) {
			require.Equal(t, map[string]any{"temperature": 0.0, "top_p": 0.5, "num_predict": 32.0, "seed": 3.0,
				"presence_penalty": 0.1, "frequency_penalty": 0.2, "stop": []any{"\n\n"}}, body["options"])
			require.Equal(t, false, body["stream"], "stream:false is explicit because Ollama streams by default")
			img := body["messages"].([]any)[0].(map[string]any)["images"]
			require.Equal(t, []any{"iVBORw0KGgo=", "R0lGODlh"}, img, "images are bare base64")
		}},
		{name: "no params, no options", call: call("hi"), check: func(t *testing.T, body map[string]any) {
			require.NotContains(t, body, "options")
			require.NotContains(t, body, "format")
			require.Equal(t, "llama-fake", body["model"])
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Complete(t.Context(), tc.call)
			require.NoError(t, err)
			tc.check(t, srv.LastJSON(t))
		})
	}
}

func TestRequest_maps_response_format_to_format(t *testing.T) {
	cases := []struct {
		name string
		rf   string
		want any
	}{
		{name: "json_object", rf: `{"type":"json_object"}`, want: "json"},
		{name: "json_schema", rf: `{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}`, want: map[string]any{"type": "object"}},
		{name: "text", rf: `{"type":"text"}`, want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeupstream.Start(t, ok)
			c := call("hi")
			c.Params.ResponseFormat = domain.RawJSON(tc.rf)

			_, err := newClient(srv).Complete(t.Context(), c)

			require.NoError(t, err)
			require.Equal(t, tc.want, srv.LastJSON(t)["format"])
		})
	}
}

func TestStream_reads_NDJSON_with_thinking_and_final_counts(t *testing.T) {
	body := `{"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":"","thinking":"let me think"},"done":false}` + "\n" +
		`{"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":"The"},"done":false}` + "\n\n" +
		`{"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":" sky"},"done":false}` + "\r\n" +
		`{"model":"m","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}` + "\n"
	srv := fakeupstream.Start(t, fakeupstream.Raw("application/x-ndjson", body))
	var got fakeupstream.Deltas

	comp, err := newClient(srv).Stream(t.Context(), call("hi"), got.Emit)

	require.NoError(t, err)
	require.Equal(t, "The sky", got.Text())
	require.Equal(t, "The sky", comp.Text)
	require.Equal(t, "let me think", comp.Reasoning)
	require.Equal(t, domain.FinishLength, comp.FinishReason)
	require.Equal(t, domain.Usage{InputTokens: 26, OutputTokens: 282}, comp.Usage)
	require.Equal(t, domain.FinishLength, got[len(got)-1].FinishReason)
	require.Equal(t, true, srv.LastJSON(t)["stream"])
}

func TestStream_a_single_object_reply_is_emitted_once(t *testing.T) {
	srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
		fakeupstream.Ollama{}.WriteJSON(w, fakeupstream.Answer{Text: "whole", PromptTok: 1, OutputTok: 1})
	})
	var got fakeupstream.Deltas

	comp, err := newClient(srv).Stream(t.Context(), call("hi"), got.Emit)

	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "whole", comp.Text)
}

func TestStream_failures_are_errors(t *testing.T) {
	line := `{"message":{"role":"assistant","content":"x"},"done":false}` + "\n"
	cases := []struct {
		name    string
		body    string
		wantMsg string
	}{
		{name: "ends without done", body: line + line, wantMsg: "stream ended early"},
		{name: "an error line", body: line + `{"error":"an unexpected error occurred"}` + "\n", wantMsg: "an unexpected error occurred"},
		{name: "garbage line", body: line + "not json\n", wantMsg: "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeupstream.Start(t, fakeupstream.Raw("application/x-ndjson", tc.body))

			_, err := newClient(srv).Stream(t.Context(), call("hi"), (&fakeupstream.Deltas{}).Emit)

			var lerr *domain.LLMError
			require.ErrorAs(t, err, &lerr)
			require.Equal(t, domain.LLMBadResponse, lerr.Kind)
			require.Contains(t, lerr.Message, tc.wantMsg)
			require.Equal(t, "llama-fake", lerr.Model)
		})
	}
}

func TestComplete_reads_tool_calls_with_object_arguments(t *testing.T) {
	body := `{"model":"m","message":{"role":"assistant","content":"","tool_calls":[` +
		`{"function":{"name":"get_weather","arguments":{"city":"Paris","days":2}}},` +
		`{"function":{"index":1,"name":"noop","arguments":{}}}]},"done":true,"done_reason":"stop","prompt_eval_count":3,"eval_count":4}`
	srv := fakeupstream.Start(t, fakeupstream.Raw("application/json", body))

	comp, err := newClient(srv).Complete(t.Context(), call("hi"))

	require.NoError(t, err)
	require.Equal(t, []domain.ToolCall{
		{Index: 0, ID: "call_0", Name: "get_weather", Arguments: `{"city":"Paris","days":2}`},
		{Index: 1, ID: "call_1", Name: "noop", Arguments: `{}`},
	}, comp.ToolCalls)
	require.Equal(t, domain.FinishToolCalls, comp.FinishReason)
	require.Equal(t, domain.Usage{InputTokens: 3, OutputTokens: 4}, comp.Usage)
}

func TestComplete_an_error_object_with_status_200_is_an_error(t *testing.T) {
	srv := fakeupstream.Start(t, fakeupstream.Raw("application/json", `{"error":"model \"x\" not found, try pulling it first"}`))

	_, err := newClient(srv).Complete(t.Context(), call("hi"))

	var lerr *domain.LLMError
	require.ErrorAs(t, err, &lerr)
	require.Equal(t, domain.LLMBadResponse, lerr.Kind)
	require.Contains(t, lerr.Message, "not found, try pulling it first")
}
