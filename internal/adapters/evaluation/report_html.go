package evaluation

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"

	"github.com/chorus-ai/chorus/internal/domain"
)

//go:embed report.html.tmpl
var reportTemplate string

var reportHTML = template.Must(template.New("report").Parse(reportTemplate))

// htmlView is what the report template renders.
type htmlView struct {
	Rep        domain.EvalReport
	Summary    []string
	Win        winChart
	Scatter    scatterChart
	Latency    latencyChart
	Opponents  []opponentRow
	Costs      []costRow
	JudgeCost  string
	Width      int
	Judgements []judgementJSON
}

type opponentRow struct {
	Name, Kind, WinRate, Interval, Bias string
	Wins, Ties, Losses, Unjudged        int
}

type costRow struct {
	Name, Kind, CallsPer, TokensPer, USDPer, P50, P95 string
	Answers, Failed, Routed                           int
}

func renderHTML(rep domain.EvalReport) ([]byte, error) {
	v := htmlView{Rep: rep, Summary: summary(rep), Win: newWinChart(rep), Scatter: newScatter(rep),
		Latency: newLatencyChart(rep), Width: chartWidth, JudgeCost: judgeCostText(rep), Judgements: reportJSONOf(rep).Judgements}
	for _, o := range rep.Opponents {
		row := opponentRow{Name: o.Name, Kind: o.Kind, Wins: o.Wins, Ties: o.Ties, Losses: o.Losses, Unjudged: o.Unjudged,
			WinRate: "–", Interval: "–", Bias: "–"}
		if o.N() > 0 {
			row.WinRate, row.Interval, row.Bias = pct(o.WinRate), pct(o.CILow)+" – "+pct(o.CIHigh), pct(o.PositionBias)
		}
		v.Opponents = append(v.Opponents, row)
	}
	for _, c := range rep.Contestants {
		cj := contestantCostOf(c)
		row := costRow{Name: c.Name, Kind: c.Kind, Answers: c.Answers, Failed: c.Failed, Routed: c.Routed,
			CallsPer: fmt.Sprintf("%.1f", cj.CallsPerAnswer), TokensPer: fmt.Sprintf("%.0f", cj.TokensPerAnswer), USDPer: "–",
			P50: msText(msOf(c.LatencyP50)), P95: msText(msOf(c.LatencyP95))}
		if cj.USDPerAnswer != nil {
			row.USDPer = costText(*cj.USDPerAnswer, true)
		}
		v.Costs = append(v.Costs, row)
	}
	var b bytes.Buffer
	if err := reportHTML.Execute(&b, v); err != nil {
		return nil, fmt.Errorf("report.html: %w", err)
	}
	return b.Bytes(), nil
}

// summary states, for the strongest single model (the one the workflow
// scores lowest against), whether the workflow is better, worse or not
// distinguishable, and what it costs in tokens and time.
func summary(rep domain.EvalReport) []string {
	var best *domain.OpponentReport
	for i, o := range rep.Opponents {
		if o.Kind == domain.ContestantSingle && o.N() > 0 && (best == nil || o.WinRate < best.WinRate) {
			best = &rep.Opponents[i]
		}
	}
	if best == nil {
		return []string{"No pair against a single model was judged yet."}
	}
	wf, single := contestant(rep, rep.Workflow), contestant(rep, best.Name)
	ci := fmt.Sprintf("win rate %s, 95%% interval %s – %s, %d prompts", pct(best.WinRate), pct(best.CILow), pct(best.CIHigh), best.N())
	var out []string
	switch {
	case best.CILow > 0.5:
		out = append(out, fmt.Sprintf("%s beats its strongest single model here, %s (%s).", rep.Workflow, best.Name, ci))
	case best.CIHigh < 0.5:
		out = append(out, fmt.Sprintf("%s loses to its strongest single model here, %s (%s).", rep.Workflow, best.Name, ci))
	default:
		out = append(out, fmt.Sprintf("No clear difference between %s and its strongest single model here, %s (%s): the interval includes 50%%; more prompts would narrow it.", rep.Workflow, best.Name, ci))
	}
	if wf.Answers > 0 && single.Answers > 0 && single.Usage.Total() > 0 && single.LatencyP50 > 0 {
		tokens := float64(wf.Usage.Total()) / float64(wf.Answers) / (float64(single.Usage.Total()) / float64(single.Answers))
		latency := float64(wf.LatencyP50) / float64(single.LatencyP50)
		out = append(out, fmt.Sprintf("It spends %.1f× the tokens per answer and takes %.1f× the median latency.", tokens, latency))
	}
	return out
}

func contestant(rep domain.EvalReport, name string) domain.ContestantReport {
	for _, c := range rep.Contestants {
		if c.Name == name {
			return c
		}
	}
	return domain.ContestantReport{}
}

func judgeCostText(rep domain.EvalReport) string {
	s := fmt.Sprintf("%d judge calls, %d input + %d output tokens", rep.JudgeCalls, rep.JudgeUsage.InputTokens, rep.JudgeUsage.OutputTokens)
	if rep.JudgeCost.Set {
		s += ", " + costText(rep.JudgeCost.Value, true)
	}
	return s
}
