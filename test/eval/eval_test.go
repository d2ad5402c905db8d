package eval

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func TestEvalDemo_ReportNumbersFollowFromTheRawJudgementsAndAnswers(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, stderr := chorus(t, "eval", "--demo", "--prompts", filepath.Join(repoRoot, "examples", "eval", "prompts.jsonl"),
		"--out", out, "--concurrency", "2")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, filepath.Join(out, "report.html"))
	r := readReport(t, out)
	require.True(t, r.Complete)
	require.Equal(t, "echo-judge", r.Judge)
	require.GreaterOrEqual(t, r.Prompts, 10)
	var kinds []string
	for _, c := range r.Contestants {
		kinds = append(kinds, c.Kind)
	}
	require.Equal(t, []string{"workflow", "single", "single", "single", "select", "synthesizer"}, kinds)
	require.Len(t, r.Judgements, r.Prompts*(len(r.Contestants)-1))
	checkNumbersFollowFromJudgements(t, r)
	checkTokenSumsFollowFromAnswers(t, r, out)
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	require.Equal(t, 3, strings.Count(string(html), "<svg "))
}

// scriptedJudge scripts the synthesizer to sign the workflow's answers and
// the judge to decide by the prompt's marker word: WIN (the workflow's
// answer, in both orders), LOSS (the other one), TIE, or BIAS (always the
// first answer shown).
func scriptedJudge(r fakeupstream.Request) (fakeupstream.Answer, bool) {
	content := r.Messages[len(r.Messages)-1].Content
	switch {
	case r.Model == "synth" && strings.Contains(content, "strongest draft"):
		return fakeupstream.TextAnswer(r, "THE WORKFLOW ANSWER"), true
	case r.Model != "judge":
		return fakeupstream.Answer{}, false
	}
	_, answers, _ := strings.Cut(content, "=== Answer 1 ===")
	first, _, _ := strings.Cut(answers, "=== Answer 2 ===")
	workflowFirst := strings.Contains(first, "THE WORKFLOW ANSWER")
	verdict := map[bool]string{true: "1", false: "2"}
	switch {
	case strings.Contains(content, "WIN"):
		return fakeupstream.TextAnswer(r, fmt.Sprintf(`{"verdict": %q}`, verdict[workflowFirst])), true
	case strings.Contains(content, "LOSS"):
		return fakeupstream.TextAnswer(r, fmt.Sprintf(`{"verdict": %q}`, verdict[!workflowFirst])), true
	case strings.Contains(content, "BIAS"):
		return fakeupstream.TextAnswer(r, "Answer 1 is better."), true
	}
	return fakeupstream.TextAnswer(r, `{"verdict": "tie"}`), true
}

func TestEvalScriptedJudge_GivesTheExpectedWinRateExactly(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name            string
		markers         []string
		wins, ties, los int
		rate, bias      float64
	}{
		{"a judge favouring the workflow", []string{"WIN", "WIN", "WIN", "WIN"}, 4, 0, 0, 1, 0},
		{"a mixed judge", []string{"WIN", "LOSS", "TIE", "BIAS"}, 1, 2, 1, 0.5, 0.25},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := fakeupstream.New(fakeupstream.Config{Script: scriptedJudge})
			t.Cleanup(fake.Close)
			prompts, order := map[string]string{}, []string{}
			for i, m := range tt.markers {
				id := fmt.Sprintf("p%d", i)
				prompts[id], order = fmt.Sprintf("question %d (%s)", i, m), append(order, id)
			}
			out := t.TempDir()
			code, _, stderr := chorus(t, "eval", "--config", fakeConfig(t, fake), "--prompts", writePrompts(t, prompts, order),
				"--judge", "judge", "--out", out)
			require.Equal(t, 0, code, stderr)
			r := readReport(t, out)
			require.Len(t, r.Opponents, 3, "w1, w2 and the synthesizer alone")
			for _, o := range r.Opponents {
				require.Equal(t, []int{tt.wins, tt.ties, tt.los}, []int{o.Wins, o.Ties, o.Losses}, o.Model)
				require.InDelta(t, tt.rate, o.WinRate, 0, o.Model) // exactly
				require.InDelta(t, tt.bias, o.PositionBias, 0, o.Model)
				low, high := wilson(float64(tt.wins)+float64(tt.ties)/2, len(tt.markers))
				require.InDelta(t, low, o.CILow, 1e-12)
				require.InDelta(t, high, o.CIHigh, 1e-12)
			}
			checkNumbersFollowFromJudgements(t, r)
			checkTokenSumsFollowFromAnswers(t, r, out)
		})
	}
}

// answerLine is a progress line of an answer that was asked (not cached).
var answerLine = regexp.MustCompile(`^eval: answers \d+/\d+ (\S+) · (.+)$`)

func TestEval_InterruptedThenResumedAsksNoStoredAnswerAgain(t *testing.T) {
	t.Parallel()
	fake := fakeupstream.New(fakeupstream.Config{Script: scriptedJudge, Record: true})
	t.Cleanup(fake.Close)
	promptText := map[string]string{}
	var order []string
	for i := range 6 {
		id := fmt.Sprintf("q%d", i)
		promptText[id], order = fmt.Sprintf("question number %d WIN", i), append(order, id)
	}
	cfg, prompts, out := fakeConfig(t, fake), writePrompts(t, promptText, order), t.TempDir()
	args := []string{"eval", "--config", cfg, "--prompts", prompts, "--judge", "judge", "--out", out, "--concurrency", "1"}

	// Run 1: interrupt with SIGINT once five answers were asked and stored.
	interruptAfterAnswers(t, args, 5)
	partial := readReport(t, out)
	require.False(t, partial.Complete, "a valid partial report")
	_, err := os.Stat(filepath.Join(out, "report.html"))
	require.NoError(t, err)

	stored := storedAnswers(t, out)
	require.GreaterOrEqual(t, len(stored), 5)
	require.Less(t, len(stored), 4*len(order), "interrupted before the end")
	firstRun := len(fake.Requests())

	// Run 2: resume; no stored answer is asked again.
	code, _, errOut := chorus(t, args...)
	require.Equal(t, 0, code, errOut)
	require.True(t, readReport(t, out).Complete)
	requireNoneAskedAgain(t, fake.Requests()[firstRun:], promptText, stored)
	require.Len(t, storedAnswers(t, out), 4*len(order))

	// Run 3: everything is stored, so nothing is asked at all.
	before := len(fake.Requests())
	code, _, errOut = chorus(t, args...)
	require.Equal(t, 0, code, errOut)
	require.Len(t, fake.Requests(), before, "a complete rerun asks nothing")
}

// interruptAfterAnswers runs chorus with args and sends it SIGINT once it
// asked n answers; it must exit 130.
func interruptAfterAnswers(t *testing.T, args []string, n int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	seen := lines(bufio.NewScanner(stderr))
	answered := 0
	deadline := time.After(60 * time.Second)
	for answered < n {
		select {
		case l, ok := <-seen:
			require.True(t, ok, "chorus eval ended before %d answers", n)
			if answerLine.MatchString(l) {
				answered++
			}
		case <-deadline:
			t.Fatalf("no %d answers within a minute", n)
		}
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	var tail []string
	for l := range seen {
		tail = append(tail, l)
	}
	err = cmd.Wait()
	require.Equal(t, 130, cmd.ProcessState.ExitCode(), "interrupted: %v\n%s", err, strings.Join(tail, "\n"))
}

// requireNoneAskedAgain checks that no contestant's upstream call in calls
// asks for an answer that was stored.
func requireNoneAskedAgain(t *testing.T, calls []fakeupstream.Request, promptText map[string]string, stored map[string]bool) {
	t.Helper()
	for _, r := range calls {
		if r.Model == "judge" {
			continue
		}
		id := promptOf(r, promptText)
		require.NotEmpty(t, id, "an upstream call for no prompt: %s", r.Model)
		contestant := r.Model // a single model alone (no temperature: as a passthrough)
		if r.Temperature != nil {
			contestant = "chorus" // a workflow stage call
		}
		require.False(t, stored[contestant+"/"+id], "the stored answer %s/%s was asked again", contestant, id)
	}
}

// storedAnswers lists the answers in the store as "contestant/prompt".
func storedAnswers(t *testing.T, out string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, "cache", "answers", "*", "*.json"))
	require.NoError(t, err)
	got := map[string]bool{}
	for _, f := range files {
		prompt, _, _ := strings.Cut(filepath.Base(f), ".")
		got[filepath.Base(filepath.Dir(f))+"/"+prompt] = true
	}
	return got
}

// promptOf finds which prompt an upstream call was made for.
func promptOf(r fakeupstream.Request, prompts map[string]string) string {
	for id, text := range prompts {
		for _, m := range r.Messages {
			if strings.Contains(m.Content, text) {
				return id
			}
		}
	}
	return ""
}
