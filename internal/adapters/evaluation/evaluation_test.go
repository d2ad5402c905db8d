package evaluation_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/evaluation"
	"github.com/chorus-ai/chorus/internal/domain"
)

func TestReadPrompts(t *testing.T) {
	t.Parallel()
	in := `{"id": "a", "prompt": "hi", "reference": "hello"}

{"id": "b", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]}
`
	ps, err := evaluation.ReadPrompts(strings.NewReader(in))
	require.NoError(t, err)
	require.Equal(t, []domain.EvalPrompt{
		{ID: "a", Messages: []domain.Message{{Role: domain.RoleUser, Content: "hi"}}, Reference: "hello"},
		{ID: "b", Messages: []domain.Message{{Role: domain.RoleSystem, Content: "s"}, {Role: domain.RoleUser, Content: "u"}}},
	}, ps)
}

func TestReadPrompts_ReportsEveryBadLine(t *testing.T) {
	t.Parallel()
	in := `{"id": "a", "prompt": "x"}
{"prompt": "no id"}
{"id": "a", "prompt": "dup"}
not json
{"id": "c", "prompt": "x", "messages": [{"role": "user", "content": "y"}]}
{"id": "d", "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}
{"id": "e", "prompt": "x", "extra": 1}`
	_, err := evaluation.ReadPrompts(strings.NewReader(in))
	require.Error(t, err)
	for _, want := range []string{"line 2: missing \"id\"", "line 3: duplicate id \"a\"", "line 4:", "line 5: give exactly one", "line 6: the last message", "line 7:"} {
		require.Contains(t, err.Error(), want)
	}
}

func TestReadPromptFile_TheShippedExampleSetIsValid(t *testing.T) {
	t.Parallel()
	ps, err := evaluation.ReadPromptFile(filepath.Join("..", "..", "..", "examples", "eval", "prompts.jsonl"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(ps), 10)
}

func TestStore_RoundTripsAndKeysByPromptAndContestant(t *testing.T) {
	t.Parallel()
	s := evaluation.NewStore(t.TempDir())
	a := domain.EvalAnswer{PromptID: "p/1", Contestant: "chorus (select)", Text: "t", Usage: domain.Usage{InputTokens: 3, OutputTokens: 4},
		UsageByModel: map[string]domain.Usage{"m": {InputTokens: 3, OutputTokens: 4}}, Calls: 5, Latency: 1500 * time.Microsecond, Routed: true}
	_, ok, err := s.LoadAnswer(a.Contestant, a.PromptID, "k1")
	require.NoError(t, err)
	require.False(t, ok)
	require.NoError(t, s.SaveAnswer("k1", a))
	got, ok, err := s.LoadAnswer(a.Contestant, a.PromptID, "k1")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, a, got)
	_, ok, _ = s.LoadAnswer(a.Contestant, a.PromptID, "k2")
	require.False(t, ok, "another key is another answer")
	j := domain.Judgement{Verdict: domain.VerdictTie, Reason: "r", Usage: domain.Usage{InputTokens: 1}}
	require.NoError(t, s.SaveJudgement("m", "p/1", "k", j))
	gotJ, ok, err := s.LoadJudgement("m", "p/1", "k")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, j, gotJ)
}

func TestStore_ATornFileIsNotAnAnswer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := evaluation.NewStore(dir)
	require.NoError(t, s.SaveAnswer("k", domain.EvalAnswer{PromptID: "p", Contestant: "m", Text: "t"}))
	path := filepath.Join(dir, "cache", "answers", "m", "p.k.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"text": "cut`), 0o600))
	_, ok, err := s.LoadAnswer("m", "p", "k")
	require.NoError(t, err)
	require.False(t, ok)
}

func TestWriteReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rep := domain.EvalReport{Workflow: "chorus", Judge: "j", Prompts: 2, Complete: true,
		Contestants: []domain.ContestantReport{
			{Contestant: domain.Contestant{Name: "chorus", Kind: domain.ContestantWorkflow}, Answers: 2, Calls: 10, Usage: domain.Usage{InputTokens: 100, OutputTokens: 50}, LatencyP50: time.Second, LatencyP95: 2 * time.Second},
			{Contestant: domain.Contestant{Name: "m", Kind: domain.ContestantSingle}, Answers: 2, Calls: 2, Usage: domain.Usage{InputTokens: 10, OutputTokens: 5}, LatencyP50: 300 * time.Millisecond, LatencyP95: 400 * time.Millisecond},
		},
		Opponents: []domain.OpponentReport{{Contestant: domain.Contestant{Name: "m", Kind: domain.ContestantSingle},
			PairTally: domain.PairTally{Wins: 1, Ties: 1}, WinRate: 0.75, CILow: 0.3, CIHigh: 0.95}},
		Pairs: []domain.PairResult{{PromptID: "p1", Opponent: "m",
			WorkflowFirst: domain.Judgement{Verdict: domain.VerdictFirst, Reason: "first is right"}, OpponentFirst: domain.Judgement{Verdict: domain.VerdictSecond}}},
	}
	require.NoError(t, evaluation.WriteReports(dir, rep))
	var got map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &got))
	for _, k := range []string{"prompts", "judge", "opponents", "cost", "latency", "judgements"} {
		require.Contains(t, got, k)
	}
	opp := got["opponents"].([]any)[0].(map[string]any)
	require.Equal(t, map[string]any{"model": "m", "kind": "single", "wins": 1.0, "ties": 1.0, "losses": 0.0, "pairs": 2.0, "unjudged": 0.0,
		"win_rate": 0.75, "ci_low": 0.3, "ci_high": 0.95, "position_bias": 0.0}, opp)
	j := got["judgements"].([]any)[0].(map[string]any)
	require.Equal(t, "win", j["outcome"])
	require.Equal(t, "first is right", j["workflow_first_reason"])
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	require.Equal(t, 3, strings.Count(string(html), "<svg "))
	require.Contains(t, string(html), `title="first is right"`)
	require.NotContains(t, string(html), "http://", "no external resource")
	require.NotContains(t, string(html), "https://")
	require.NotContains(t, string(html), "<script")
}
