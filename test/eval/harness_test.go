package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// bin is the chorus binary built once for the package.
var bin string

// repoRoot is the repository's root directory.
var repoRoot string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := chorusproc.RepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dir, err := os.MkdirTemp("", "chorus-eval-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if bin, err = chorusproc.Build(context.Background(), root, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	repoRoot = root
	return m.Run()
}

// chorus runs the binary to completion and returns its exit code and output.
func chorus(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	var out, errOut lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	var exit *exec.ExitError
	if err := cmd.Run(); err != nil && !errors.As(err, &exit) {
		t.Fatalf("run chorus: %v", err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// report is report.json as the tests read it.
type report struct {
	Prompts     int    `json:"prompts"`
	Judge       string `json:"judge"`
	Workflow    string `json:"workflow"`
	Complete    bool   `json:"complete"`
	Contestants []struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	} `json:"contestants"`
	Opponents []struct {
		Model        string  `json:"model"`
		Wins         int     `json:"wins"`
		Ties         int     `json:"ties"`
		Losses       int     `json:"losses"`
		WinRate      float64 `json:"win_rate"`
		CILow        float64 `json:"ci_low"`
		CIHigh       float64 `json:"ci_high"`
		PositionBias float64 `json:"position_bias"`
	} `json:"opponents"`
	Cost struct {
		Contestants map[string]struct {
			Answers      int `json:"answers"`
			InputTokens  int `json:"input_tokens"`
			OutputTokens int `json:"output_tokens"`
		} `json:"contestants"`
	} `json:"cost"`
	Latency    map[string]struct{ P50MS, P95MS float64 } `json:"latency"`
	Judgements []struct {
		Prompt         string `json:"prompt"`
		Opponent       string `json:"opponent"`
		WorkflowFirst  string `json:"workflow_first"`
		OpponentFirst  string `json:"opponent_first"`
		Outcome        string `json:"outcome"`
		PositionBiased bool   `json:"position_biased"`
	} `json:"judgements"`
}

func readReport(t *testing.T, dir string) report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	var r report
	require.NoError(t, json.Unmarshal(b, &r), "report.json is valid JSON")
	return r
}

// wilson is the Wilson score 95% interval, written here independently of
// the implementation under test.
func wilson(score float64, n int) (float64, float64) {
	const z = 1.959963984540054
	p, nf := score/float64(n), float64(n)
	c := (p + z*z/(2*nf)) / (1 + z*z/nf)
	h := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return math.Max(0, c-h), math.Min(1, c+h)
}

// checkNumbersFollowFromJudgements recomputes every opponent's counts, win
// rate, interval and position bias from the raw judgements in the report.
func checkNumbersFollowFromJudgements(t *testing.T, r report) {
	t.Helper()
	score := map[string]float64{"win": 1, "tie": 0.5, "loss": 0}
	for _, o := range r.Opponents {
		var w, ti, l, biased int
		for _, j := range r.Judgements {
			if j.Opponent != o.Model {
				continue
			}
			s := score[j.WorkflowFirst] + score[j.OpponentFirst]
			want := map[bool]string{true: "win", false: "loss"}[s > 1]
			if s == 1 {
				want = "tie"
			}
			require.Equal(t, want, j.Outcome, "%s %s: outcome of %s/%s", o.Model, j.Prompt, j.WorkflowFirst, j.OpponentFirst)
			require.Equal(t, j.WorkflowFirst != j.OpponentFirst, j.PositionBiased)
			switch j.Outcome {
			case "win":
				w++
			case "tie":
				ti++
			default:
				l++
			}
			if j.PositionBiased {
				biased++
			}
		}
		n := w + ti + l
		require.Positive(t, n, o.Model)
		require.Equal(t, []int{w, ti, l}, []int{o.Wins, o.Ties, o.Losses}, o.Model)
		rate := (float64(w) + float64(ti)/2) / float64(n)
		low, high := wilson(float64(w)+float64(ti)/2, n)
		require.InDelta(t, rate, o.WinRate, 1e-12, o.Model)
		require.InDelta(t, low, o.CILow, 1e-12, o.Model)
		require.InDelta(t, high, o.CIHigh, 1e-12, o.Model)
		require.InDelta(t, float64(biased)/float64(n), o.PositionBias, 1e-12, o.Model)
	}
}

// checkTokenSumsFollowFromAnswers adds up the stored answers' usage per
// contestant and compares it with the report's cost section.
func checkTokenSumsFollowFromAnswers(t *testing.T, r report, dir string) {
	t.Helper()
	for _, c := range r.Contestants {
		files, err := filepath.Glob(filepath.Join(dir, "cache", "answers", "*", "*.json"))
		require.NoError(t, err)
		in, out, n := 0, 0, 0
		for _, f := range files {
			var a struct {
				Contestant string `json:"contestant"`
				Usage      struct {
					In  int `json:"input_tokens"`
					Out int `json:"output_tokens"`
				} `json:"usage"`
			}
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &a))
			if a.Contestant == c.Name {
				in, out, n = in+a.Usage.In, out+a.Usage.Out, n+1
			}
		}
		got := r.Cost.Contestants[c.Name]
		require.Equal(t, []int{n, in, out}, []int{got.Answers, got.InputTokens, got.OutputTokens}, c.Name)
		require.Positive(t, in, c.Name)
	}
}

// fakeConfig is a configuration over a fake upstream: an analyzer that is
// never needed, two workers and a synthesizer (no selector, so the select
// ablation does not apply), and a judge.
func fakeConfig(t *testing.T, fake *fakeupstream.Server) string {
	t.Helper()
	model := func(name string) string {
		return fmt.Sprintf("[[model]]\nname = %q\napi_base = %q\napi_key = \"sk-test\"\n\n", name, fake.OpenAIBase())
	}
	cfg := model("an") + model("w1") + model("w2") + model("synth") + model("judge") + `
[workflow-integration]
json = '''{"analyzer": {"ref": "an"}, "workers": ["w1", "w2"], "synthesizer": {"ref": "synth"}}'''
`
	path := filepath.Join(t.TempDir(), "config.toml")
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	return path
}

// writePrompts writes a JSONL prompt file of single-turn prompts by id.
func writePrompts(t *testing.T, prompts map[string]string, order []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prompts.jsonl")
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	for _, id := range order {
		b, err := json.Marshal(map[string]string{"id": id, "prompt": prompts[id]})
		require.NoError(t, err)
		_, err = fmt.Fprintf(f, "%s\n", b)
		require.NoError(t, err)
	}
	return path
}

// lines scans a reader line by line onto a channel, closed at EOF.
func lines(r *bufio.Scanner) <-chan string {
	ch := make(chan string, 256)
	go func() {
		defer close(ch)
		for r.Scan() {
			ch <- r.Text()
		}
	}()
	return ch
}
