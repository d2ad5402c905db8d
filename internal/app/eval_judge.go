package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// Orders a pair is shown to the judge in.
const (
	orderWorkflowFirst = "workflow-first"
	orderOpponentFirst = "opponent-first"
)

// judgeJob is one ordering of one pair.
type judgeJob struct {
	prompt          domain.EvalPrompt
	opponent        string
	order           string
	first, second   string // answer texts in the order shown
	workflowIsFirst bool
}

// judgeAll asks the judge about every (workflow, opponent) pair whose two
// answers exist, in both orders, and returns the pairs with both verdicts.
func (e *Evaluator) judgeAll(ctx context.Context, prompts []domain.EvalPrompt, answers *answerSet) []domain.PairResult {
	wf := e.contestants[0].Name
	var jobs []judgeJob
	for _, p := range prompts {
		w, ok := answers.get(wf, p.ID)
		if !ok {
			continue
		}
		for _, c := range e.contestants[1:] {
			o, ok := answers.get(c.Name, p.ID)
			if !ok {
				continue
			}
			jobs = append(jobs,
				judgeJob{prompt: p, opponent: c.Name, order: orderWorkflowFirst, first: w.Text, second: o.Text, workflowIsFirst: true},
				judgeJob{prompt: p, opponent: c.Name, order: orderOpponentFirst, first: o.Text, second: w.Text})
		}
	}
	got := make([]*domain.Judgement, len(jobs))
	var mu sync.Mutex
	done := 0
	forEach(ctx, len(jobs), e.d.Concurrency, func(i int) {
		j, cached, err := e.judgement(ctx, jobs[i])
		if err != nil && ctx.Err() != nil {
			return
		}
		mu.Lock()
		done++
		if err == nil {
			got[i] = &j
		}
		ev := ports.EvalEvent{Phase: PhaseJudgements, Done: done, Total: len(jobs), Cached: cached, Err: err,
			Label: jobs[i].prompt.ID + " · " + wf + " vs " + jobs[i].opponent + " (" + jobs[i].order + ")"}
		mu.Unlock()
		e.progress(ev)
	})
	var pairs []domain.PairResult
	for i := 0; i+1 < len(jobs); i += 2 {
		if got[i] != nil && got[i+1] != nil {
			pairs = append(pairs, domain.PairResult{PromptID: jobs[i].prompt.ID, Opponent: jobs[i].opponent,
				WorkflowFirst: *got[i], OpponentFirst: *got[i+1]})
		}
	}
	return pairs
}

// judgement returns the stored verdict of a job, else asks the judge and
// stores the verdict.
func (e *Evaluator) judgement(ctx context.Context, job judgeJob) (domain.Judgement, bool, error) {
	key := e.judgementKey(job)
	if j, ok, err := e.d.Store.LoadJudgement(job.opponent, job.prompt.ID, key); err == nil && ok {
		return j, true, nil
	}
	j, err := e.askJudge(ctx, job)
	if err != nil {
		return j, false, err
	}
	return j, false, e.d.Store.SaveJudgement(job.opponent, job.prompt.ID, key, j)
}

// errNoVerdict is returned when the judge's reply names no verdict.
var errNoVerdict = errors.New("judge reply held no verdict")

func (e *Evaluator) askJudge(ctx context.Context, job judgeJob) (domain.Judgement, error) {
	m, err := e.d.Models.Resolve(e.d.Judge)
	if err != nil {
		return domain.Judgement{}, fmt.Errorf("judge: %w", err)
	}
	msgs := []domain.Message{{Role: domain.RoleUser, Content: judgePrompt(job)}}
	call := domain.ModelCall{Model: e.d.Judge, Messages: msgs, Params: domain.Params{Temperature: domain.SomeFloat(0)}}
	comp, err := e.contestants[0].svc.invoke(ctx, m, call, e.d.Workflow.Models[e.d.Judge].Timeouts.Selector, nil)
	if err != nil {
		return domain.Judgement{}, fmt.Errorf("judge: %w", err)
	}
	v, reason, ok := parseVerdict(comp.Text)
	if !ok {
		return domain.Judgement{}, errNoVerdict
	}
	return domain.Judgement{Verdict: v, Reason: reason, Usage: comp.Usage}, nil
}

// judgementKey digests what decides a verdict: the judge, the prompt, the
// reference and both answers in the order shown.
func (e *Evaluator) judgementKey(job judgeJob) string {
	h := sha256.New()
	for _, s := range []string{e.d.Judge, job.order, job.prompt.Reference, job.first, job.second} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	writeMessages(h, job.prompt.Messages)
	return hex.EncodeToString(h.Sum(nil))[:32]
}
