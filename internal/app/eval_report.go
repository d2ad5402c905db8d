package app

import (
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// report computes the statistics of what was answered and judged.
func (e *Evaluator) report(prompts []domain.EvalPrompt, answers *answerSet, pairs []domain.PairResult) domain.EvalReport {
	rep := domain.EvalReport{Workflow: e.contestants[0].Name, Judge: e.d.Judge, Prompts: len(prompts), Pairs: pairs}
	for _, c := range e.contestants {
		rep.Contestants = append(rep.Contestants, e.contestantReport(c.Contestant, prompts, answers))
	}
	byOpponent := map[string][]domain.PairResult{}
	for _, p := range pairs {
		byOpponent[p.Opponent] = append(byOpponent[p.Opponent], p)
		for _, j := range []domain.Judgement{p.WorkflowFirst, p.OpponentFirst} {
			rep.JudgeCalls++
			rep.JudgeUsage = rep.JudgeUsage.Add(j.Usage)
		}
	}
	rep.JudgeCost = e.cost(map[string]domain.Usage{e.d.Judge: rep.JudgeUsage})
	for _, c := range e.contestants[1:] {
		t := domain.Tally(byOpponent[c.Name])
		o := domain.OpponentReport{Contestant: c.Contestant, PairTally: t, WinRate: t.WinRate(),
			PositionBias: t.PositionBias(), Unjudged: len(prompts) - t.N()}
		o.CILow, o.CIHigh = t.Interval()
		rep.Opponents = append(rep.Opponents, o)
	}
	return rep
}

func (e *Evaluator) contestantReport(c domain.Contestant, prompts []domain.EvalPrompt, answers *answerSet) domain.ContestantReport {
	r := domain.ContestantReport{Contestant: c, Failed: answers.failed[c.Name]}
	byModel := map[string]domain.Usage{}
	var latencies []float64
	for _, p := range prompts {
		a, ok := answers.get(c.Name, p.ID)
		if !ok {
			continue
		}
		r.Answers++
		r.Calls += a.Calls
		r.Usage = r.Usage.Add(a.Usage)
		if a.Routed {
			r.Routed++
		}
		for m, u := range a.UsageByModel {
			byModel[m] = byModel[m].Add(u)
		}
		latencies = append(latencies, float64(a.Latency))
	}
	r.Cost = e.cost(byModel)
	r.LatencyP50 = time.Duration(domain.Percentile(latencies, 0.50))
	r.LatencyP95 = time.Duration(domain.Percentile(latencies, 0.95))
	return r
}

// cost prices usage in US dollars; unset unless every model that spent
// tokens has both prices configured.
func (e *Evaluator) cost(byModel map[string]domain.Usage) domain.OptFloat {
	total := 0.0
	for m, u := range byModel {
		spec := e.d.Workflow.Models[m]
		if !spec.PriceInputPerMTok.Set || !spec.PriceOutputPerMTok.Set {
			return domain.OptFloat{}
		}
		total += float64(u.InputTokens)*spec.PriceInputPerMTok.Value/1e6 + float64(u.OutputTokens)*spec.PriceOutputPerMTok.Value/1e6
	}
	return domain.SomeFloat(total)
}
