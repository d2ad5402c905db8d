package e2e

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// Real Ollama ends a tool-call answer like any other: done_reason "stop"
// (its ChatHandler copies the runner's DoneReason, whose only values are
// "stop", "length" and "" — there is no "tool_calls"; the API doc's tool
// example shows "stop"). Chorus's /api/chat does the same for a tool answer
// from the workflow and from a passthrough to an OpenAI upstream that
// finished with "tool_calls", stream and non-stream; a stream carries the
// calls before its final done object. Every object validates against
// Ollama's official document.
func TestOllamaToolAnswersEndWithDoneReasonStop(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: textWorker}})
	user := `{"role":"user","content":"` + fakeupstream.ToolTrigger + ` Paris"}`
	for _, model := range []string{workflowName, mWorkerOAI} {
		for _, stream := range []bool{false, true} {
			t.Run(model+" stream="+strconv.FormatBool(stream), func(t *testing.T) {
				r := s.call(t, http.MethodPost, "/api/chat", `{"model":"`+model+`","stream":`+strconv.FormatBool(stream)+
					`,"tools":`+toolsJSON+`,"messages":[`+user+`]}`, nil)
				require.Equal(t, http.StatusOK, r.status, string(r.body))
				validateOfficial(t, http.MethodPost, "/api/chat", r)
				var lines []map[string]any
				if stream {
					lines = parseNDJSON(t, r.body)
				} else {
					lines = []map[string]any{decodeMap(t, r.body)}
				}
				final := lines[len(lines)-1]
				require.Equal(t, true, final["done"])
				require.Equal(t, "stop", final["done_reason"], "Ollama's done_reason for a tool answer")
				calls := 0
				for i, l := range lines {
					if n := len(asList(path(l, "message", "tool_calls"))); n > 0 {
						calls += n
						require.Equal(t, "lookup", path(l, "message", "tool_calls", 0, "function", "name"))
						if stream && i < len(lines)-1 {
							require.Equal(t, false, l["done"], "the calls come before the final object")
							require.NotContains(t, l, "done_reason")
						}
					}
				}
				require.Equal(t, 1, calls, string(r.body))
			})
		}
	}
	s.noPanics(t)
}
