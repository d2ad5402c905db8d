package evaluation

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/chorus-ai/chorus/internal/adapters/internal/atomicfile"
	"github.com/chorus-ai/chorus/internal/domain"
)

// Method notes written into report.json so a reader can check the numbers.
const (
	methodWinRate  = "win_rate = (wins + ties/2) / pairs, for the workflow against the opponent"
	methodInterval = "ci_low..ci_high: Wilson score 95% interval of win_rate over pairs (ties count half)"
	methodPair     = "each pair is judged twice, the answers swapped; mean score (win 1, tie 0.5, loss 0) > 0.5 is a win, < 0.5 a loss, = 0.5 a tie"
	methodBias     = "position_bias = share of pairs whose verdict from the workflow's side changed when the order was swapped"
)

// reportJSON is report.json.
type reportJSON struct {
	Prompts     int                    `json:"prompts"`
	Judge       string                 `json:"judge"`
	Workflow    string                 `json:"workflow"`
	Complete    bool                   `json:"complete"`
	Contestants []contestantJSON       `json:"contestants"`
	Opponents   []opponentJSON         `json:"opponents"`
	Cost        costJSON               `json:"cost"`
	Latency     map[string]latencyJSON `json:"latency"`
	Judgements  []judgementJSON        `json:"judgements"`
	Method      map[string]string      `json:"method"`
}

type contestantJSON struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type opponentJSON struct {
	Model        string  `json:"model"`
	Kind         string  `json:"kind"`
	Wins         int     `json:"wins"`
	Ties         int     `json:"ties"`
	Losses       int     `json:"losses"`
	Pairs        int     `json:"pairs"`
	Unjudged     int     `json:"unjudged"`
	WinRate      float64 `json:"win_rate"`
	CILow        float64 `json:"ci_low"`
	CIHigh       float64 `json:"ci_high"`
	PositionBias float64 `json:"position_bias"`
}

type costJSON struct {
	Currency    string                        `json:"currency"`
	Contestants map[string]contestantCostJSON `json:"contestants"`
	Judge       judgeCostJSON                 `json:"judge"`
}

type contestantCostJSON struct {
	Answers         int      `json:"answers"`
	Failed          int      `json:"failed"`
	Routed          int      `json:"routed,omitempty"`
	Calls           int      `json:"calls"`
	InputTokens     int      `json:"input_tokens"`
	OutputTokens    int      `json:"output_tokens"`
	TokensPerAnswer float64  `json:"tokens_per_answer"`
	CallsPerAnswer  float64  `json:"calls_per_answer"`
	USD             *float64 `json:"usd"`
	USDPerAnswer    *float64 `json:"usd_per_answer"`
}

type judgeCostJSON struct {
	Calls        int      `json:"calls"`
	InputTokens  int      `json:"input_tokens"`
	OutputTokens int      `json:"output_tokens"`
	USD          *float64 `json:"usd"`
}

type latencyJSON struct {
	P50MS float64 `json:"p50_ms"`
	P95MS float64 `json:"p95_ms"`
}

type judgementJSON struct {
	Prompt         string `json:"prompt"`
	Opponent       string `json:"opponent"`
	WorkflowFirst  string `json:"workflow_first"` // the workflow's outcome with its answer shown first
	OpponentFirst  string `json:"opponent_first"`
	Outcome        string `json:"outcome"`
	PositionBiased bool   `json:"position_biased"`
	// The judge's reasons, to read a few verdicts by hand.
	WorkflowFirstReason string `json:"workflow_first_reason,omitempty"`
	OpponentFirstReason string `json:"opponent_first_reason,omitempty"`
}

// WriteReports writes DIR/report.json and DIR/report.html.
func WriteReports(dir string, rep domain.EvalReport) error {
	b, err := json.MarshalIndent(reportJSONOf(rep), "", "  ")
	if err != nil {
		return fmt.Errorf("report.json: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, "report.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	html, err := renderHTML(rep)
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "report.html"), html, 0o644)
}

func reportJSONOf(rep domain.EvalReport) reportJSON {
	out := reportJSON{
		Prompts: rep.Prompts, Judge: rep.Judge, Workflow: rep.Workflow, Complete: rep.Complete,
		Contestants: []contestantJSON{}, Opponents: []opponentJSON{}, Judgements: []judgementJSON{},
		Latency: map[string]latencyJSON{},
		Cost: costJSON{Currency: "USD", Contestants: map[string]contestantCostJSON{}, Judge: judgeCostJSON{
			Calls: rep.JudgeCalls, InputTokens: rep.JudgeUsage.InputTokens, OutputTokens: rep.JudgeUsage.OutputTokens,
			USD: optPtr(rep.JudgeCost)}},
		Method: map[string]string{"win_rate": methodWinRate, "interval": methodInterval, "pair": methodPair, "position_bias": methodBias},
	}
	for _, c := range rep.Contestants {
		out.Contestants = append(out.Contestants, contestantJSON{Name: c.Name, Kind: c.Kind})
		out.Cost.Contestants[c.Name] = contestantCostOf(c)
		out.Latency[c.Name] = latencyJSON{P50MS: msOf(c.LatencyP50), P95MS: msOf(c.LatencyP95)}
	}
	for _, o := range rep.Opponents {
		out.Opponents = append(out.Opponents, opponentJSON{
			Model: o.Name, Kind: o.Kind, Wins: o.Wins, Ties: o.Ties, Losses: o.Losses, Pairs: o.N(), Unjudged: o.Unjudged,
			WinRate: o.WinRate, CILow: o.CILow, CIHigh: o.CIHigh, PositionBias: o.PositionBias,
		})
	}
	for _, p := range rep.Pairs {
		a, b := p.Outcomes()
		out.Judgements = append(out.Judgements, judgementJSON{Prompt: p.PromptID, Opponent: p.Opponent,
			WorkflowFirst: string(a), OpponentFirst: string(b), Outcome: string(p.Outcome()), PositionBiased: p.PositionBiased(),
			WorkflowFirstReason: p.WorkflowFirst.Reason, OpponentFirstReason: p.OpponentFirst.Reason})
	}
	return out
}

func contestantCostOf(c domain.ContestantReport) contestantCostJSON {
	out := contestantCostJSON{Answers: c.Answers, Failed: c.Failed, Routed: c.Routed, Calls: c.Calls,
		InputTokens: c.Usage.InputTokens, OutputTokens: c.Usage.OutputTokens}
	if c.Answers > 0 {
		out.TokensPerAnswer = float64(c.Usage.Total()) / float64(c.Answers)
		out.CallsPerAnswer = float64(c.Calls) / float64(c.Answers)
		out.USD = optPtr(c.Cost)
		if c.Cost.Set {
			per := c.Cost.Value / float64(c.Answers)
			out.USDPerAnswer = &per
		}
	}
	return out
}

func optPtr(o domain.OptFloat) *float64 {
	if !o.Set {
		return nil
	}
	v := o.Value
	return &v
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
