package e2e

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// Acceptance 3, every protocol: when every worker breaks the tool rules the
// answer is a typed 502 in the protocol's own error shape — OpenAI's error
// object on /v1, Ollama's {"error": "<string>"} on /api. A stream whose
// progress lines already went out (HTTP 200 sent) ends with the protocol's
// in-stream failure instead: an error chunk (Chat Completions), a
// response.failed event (Responses), an error line (Ollama). Ollama's API
// has no tool_choice, so there every worker sends malformed arguments.
func TestToolRuleFailuresAnswerInEachProtocolsErrorShape(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: func(r fakeupstream.Request) (fakeupstream.Answer, bool) {
		switch {
		case len(r.Tools) == 0:
			return fakeupstream.Answer{}, false
		case strings.Contains(r.LastUser(), "malformed"):
			return fakeupstream.ToolAnswer(r, "", fakeupstream.Call{ID: "c1", Name: "lookup", Args: `{"query": "Par`}), true
		}
		return fakeupstream.TextAnswer(r, "plain words"), true
	}}})
	const textUnderRequired = "tool_choice required asked for a tool call but the worker answered text"
	for _, tc := range []struct {
		route, body, reason string
	}{
		{"/v1/chat/completions", `"tool_choice":"required","tools":` + toolsJSON + `,"messages":[{"role":"user","content":"weather?"}]`, textUnderRequired},
		{"/v1/responses", `"tool_choice":"required","tools":` + responsesTools + `,"input":"weather?"`, textUnderRequired},
		{"/api/chat", `"tools":` + toolsJSON + `,"messages":[{"role":"user","content":"malformed weather?"}]`, "malformed arguments for lookup"},
	} {
		for _, mode := range []struct {
			name     string
			stream   bool
			progress string
		}{{"non-stream", false, ""}, {"stream with progress", true, ""}, {"stream without progress", true, "off"}} {
			t.Run(tc.route+" "+mode.name, func(t *testing.T) {
				var hdr map[string]string
				if mode.progress != "" {
					hdr = map[string]string{"X-Chorus-Progress": mode.progress}
				}
				r := s.call(t, http.MethodPost, tc.route, `{"model":"chorus","stream":`+strconv.FormatBool(mode.stream)+`,`+tc.body+`}`, hdr)
				validateOfficial(t, http.MethodPost, tc.route, r)
				if !mode.stream || mode.progress == "off" {
					require.Equal(t, http.StatusBadGateway, r.status, string(r.body))
					require.Contains(t, errorMessage(t, tc.route, r.body), tc.reason)
					require.Contains(t, errorMessage(t, tc.route, r.body), "All worker models failed")
					return
				}
				require.Equal(t, http.StatusOK, r.status, "progress lines went out before the workers failed")
				require.Contains(t, streamFailure(t, tc.route, r), tc.reason)
			})
		}
	}
	s.noPanics(t)
}

// errorMessage reads the message of an error body: OpenAI's error.message,
// Ollama's error string.
func errorMessage(t *testing.T, route string, body []byte) string {
	t.Helper()
	m := decodeMap(t, body)
	if strings.HasPrefix(route, "/api/") {
		msg, ok := m["error"].(string)
		require.True(t, ok, "Ollama's error is a string: %s", body)
		return msg
	}
	require.Equal(t, "upstream_error", path(m, "error", "type"))
	return str(path(m, "error", "message"))
}

// streamFailure returns the message of the failure that ends a stream.
func streamFailure(t *testing.T, route string, r response) string {
	t.Helper()
	switch route {
	case "/api/chat":
		lines := parseNDJSON(t, r.body)
		last := lines[len(lines)-1]
		msg, ok := last["error"].(string)
		require.True(t, ok, "the last line is Ollama's error object: %v", last)
		return msg
	case "/v1/responses":
		events, _ := parseSSE(t, r.body)
		last := events[len(events)-1]
		require.Equal(t, "response.failed", last.event)
		m := decodeMap(t, []byte(last.data))
		require.Equal(t, "failed", path(m, "response", "status"))
		return str(path(m, "response", "error", "message"))
	default:
		events, _ := parseSSE(t, r.body)
		for _, ev := range events {
			if ev.data != "[DONE]" && strings.HasPrefix(ev.data, `{"error"`) {
				return errorMessage(t, route, []byte(ev.data))
			}
		}
		t.Fatalf("no error chunk in %s", truncate(r.body, 800))
		return ""
	}
}

// A worker whose upstream cannot take tools is a failed candidate with the
// upstream's reason (real Ollama answers 400 `"<model>" does not support
// tools`); the other worker's call is the answer.
func TestAWorkerWithoutToolSupportIsAFailedCandidate(t *testing.T) {
	noTools := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"registry.ollama.ai/library/gemma:2b does not support tools"}`))
	}))
	t.Cleanup(noTools.Close)
	s := startStack(t, stackOptions{editTOML: func(doc string) string {
		return regexp.MustCompile(`(provider = "ollama"\napi_base = )"[^"]*"`).ReplaceAllString(doc, `$1"`+noTools.URL+`"`)
	}})
	for _, stream := range []bool{false, true} {
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,"stream":`+strconv.FormatBool(stream)+
			`,"tools":`+toolsJSON+`,"messages":[{"role":"user","content":"`+fakeupstream.ToolTrigger+` Paris"}]}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		calls, finish, _ := chatToolCalls(t, r, stream)
		require.Equal(t, "tool_calls", finish)
		require.Len(t, calls, 1)
		require.Equal(t, "lookup", calls[0]["name"])
		if !stream {
			w := path(decodeMap(t, r.body), "workflow", "workers", 1)
			require.Equal(t, "error", path(w, "status"))
			require.Contains(t, path(w, "error"), "does not support tools")
		}
	}
	s.noPanics(t)
}
