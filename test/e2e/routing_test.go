package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// ratingAnalyzer scripts the analyzer: a request whose last user message
// says TRIVIAL is rated trivial, any other hard.
func ratingAnalyzer(r fakeupstream.Request) (fakeupstream.Answer, bool) {
	if r.Kind != fakeupstream.KindAnalyzer {
		return fakeupstream.Answer{}, false
	}
	rating := "hard"
	if strings.Contains(r.Messages[len(r.Messages)-1].Content, "TRIVIAL") {
		rating = "trivial"
	}
	return fakeupstream.TextAnswer(r, fmt.Sprintf(`{"temperature": 0.5, "difficulty": %q, "reasoning": "rated %s"}`, rating, rating)), true
}

func TestAdaptiveRouting_TrivialGoesToOneModelHardRunsTheWorkflow(t *testing.T) {
	t.Parallel()
	s := startStack(t, stackOptions{
		fake:      fakeupstream.Config{Script: ratingAnalyzer},
		extraTOML: fmt.Sprintf("\n[workflow]\nroute_easy_to = %q\n", mWorkerOAI),
	})
	ask := func(text string, stream bool) response {
		body := fmt.Sprintf(`{"model": "chorus", "stream": %t, "include_workflow": true, "messages": [{"role": "user", "content": %q}]}`, stream, text)
		r := s.call(t, "POST", "/v1/chat/completions", body, nil)
		require.Equal(t, 200, r.status, string(r.body))
		return r
	}
	models := func() []string {
		var out []string
		for _, r := range s.fake.Requests() {
			out = append(out, r.Model)
		}
		return out
	}

	r := ask("TRIVIAL: say hello", false)
	require.Equal(t, []string{mAnalyst, mWorkerOAI}, models(), "the analyzer, then exactly one answer call to route_easy_to")
	wf := decodeMap(t, r.body)["workflow"]
	require.Equal(t, mWorkerOAI, str(path(wf, "routed", "model")))
	require.Equal(t, "trivial", str(path(wf, "routed", "difficulty")))
	require.Equal(t, "rated trivial", str(path(wf, "routed", "reason")))
	require.Equal(t, "trivial", str(path(wf, "analyzer", "difficulty")))
	require.Empty(t, path(wf, "workers"))
	routed := s.fake.Requests()[1]
	require.Equal(t, "TRIVIAL: say hello", routed.LastUser(), "the client's conversation, not a stage prompt")
	require.Equal(t, fakeupstream.AnswerFor(routed).Text, str(path(decodeMap(t, r.body), "choices", 0, "message", "content")))

	s.fake.Reset()
	r = ask("TRIVIAL: stream it", true)
	events, _ := parseSSE(t, r.body)
	require.NotEmpty(t, events)
	require.Equal(t, []string{mAnalyst, mWorkerOAI}, models())
	require.True(t, s.fake.Requests()[1].Stream, "an easy answer streams as a passthrough would")

	s.fake.Reset()
	r = ask("prove that sqrt(2) is irrational", false)
	require.ElementsMatch(t, []string{mAnalyst, mWorkerOAI, mWorkerOll, mJudge, mSynth}, models(), "the whole workflow")
	wf = decodeMap(t, r.body)["workflow"]
	require.Nil(t, path(wf, "routed"))
	require.Equal(t, "hard", str(path(wf, "analyzer", "difficulty")))
	require.Len(t, path(wf, "workers"), 2)

	metrics := s.scrape(t)
	require.Contains(t, metrics, `chorus_workflow_routes_total{difficulty="trivial",route="easy"} 2`)
	require.Contains(t, metrics, `chorus_workflow_routes_total{difficulty="hard",route="full"} 1`)
	s.noPanics(t)
}
