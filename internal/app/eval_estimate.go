package app

import (
	"github.com/chorus-ai/chorus/internal/domain"
)

// Assumptions of the dry-run token estimate: a token is about four
// characters, an answer about EstimatedAnswerTokens tokens, and a stage
// prompt or a verdict adds stageOverheadTokens.
const (
	EstimatedAnswerTokens = 400
	stageOverheadTokens   = 200
	verdictTokens         = 60
)

// EvalEstimate is what a run would ask for, before anything is spent.
type EvalEstimate struct {
	Prompts       int
	Contestants   []ContestantEstimate
	Answers       int // answers to ask (cached ones excluded)
	CachedAnswers int
	AnswerCalls   int // upstream calls for those answers (an upper bound)
	JudgeCalls    int // upper bound: every pair in both orders
	InputTokens   int // rough: characters / 4 plus the assumptions above
	OutputTokens  int
}

// ContestantEstimate is one contestant's share of an estimate.
type ContestantEstimate struct {
	domain.Contestant
	CallsPerAnswer int
	Cached         int // prompts whose answer is already stored
}

// Estimate counts the upstream calls and tokens Run would spend, reading
// only the store.
func (e *Evaluator) Estimate(prompts []domain.EvalPrompt) EvalEstimate {
	est := EvalEstimate{Prompts: len(prompts)}
	for _, c := range e.contestants {
		ce := ContestantEstimate{Contestant: c.Contestant, CallsPerAnswer: e.callsPerAnswer(c)}
		for _, p := range prompts {
			if _, ok, err := e.d.Store.LoadAnswer(c.Name, p.ID, answerKey(c.Contestant, p)); err == nil && ok {
				ce.Cached++
				continue
			}
			in, out := e.answerTokens(c, promptTokens(p))
			est.InputTokens += in
			est.OutputTokens += out
		}
		asked := len(prompts) - ce.Cached
		est.Answers += asked
		est.CachedAnswers += ce.Cached
		est.AnswerCalls += asked * ce.CallsPerAnswer
		est.Contestants = append(est.Contestants, ce)
	}
	est.JudgeCalls = 2 * len(prompts) * (len(e.contestants) - 1)
	for _, p := range prompts {
		per := promptTokens(p) + len(p.Reference)/4 + 2*EstimatedAnswerTokens + stageOverheadTokens
		est.InputTokens += 2 * (len(e.contestants) - 1) * per
		est.OutputTokens += 2 * (len(e.contestants) - 1) * verdictTokens
	}
	return est
}

// callsPerAnswer is the most upstream calls one answer of c makes.
func (e *Evaluator) callsPerAnswer(c contestant) int {
	if c.model != c.svc.name {
		return 1
	}
	calls, _, _ := planCost(c.svc.wf.Root, c.svc.wf.Mode, 0)
	return calls
}

// answerTokens estimates the input and output tokens of one answer.
func (e *Evaluator) answerTokens(c contestant, prompt int) (in, out int) {
	if c.model != c.svc.name {
		return prompt, EstimatedAnswerTokens
	}
	_, in, out = planCost(c.svc.wf.Root, c.svc.wf.Mode, prompt)
	return in, out
}

// planCost counts the calls of one plan (every stage assumed to run) and
// estimates their tokens for a prompt of the given size.
func planCost(p *domain.Plan, mode domain.Mode, prompt int) (calls, in, out int) {
	calls, in, out = 1, prompt+stageOverheadTokens, verdictTokens // analyzer
	for _, n := range p.Workers {
		if sub, ok := n.(domain.SubWorkflowNode); ok {
			c, i, o := planCost(sub.Plan, mode, prompt)
			calls, in, out = calls+c, in+i, out+o
			continue
		}
		calls, in, out = calls+1, in+prompt, out+EstimatedAnswerTokens
	}
	drafts := len(p.Workers) * EstimatedAnswerTokens
	if p.Selector != nil {
		calls, in, out = calls+1, in+prompt+drafts+stageOverheadTokens, out+verdictTokens
	}
	if p.Synthesizer != nil && mode != domain.ModeSelect {
		calls, in, out = calls+1, in+prompt+drafts+stageOverheadTokens, out+EstimatedAnswerTokens
	}
	return calls, in, out
}

// promptTokens estimates a conversation's tokens at four characters each.
func promptTokens(p domain.EvalPrompt) int {
	n := 0
	for _, m := range p.Messages {
		n += len(m.Content)
	}
	return n/4 + 1
}
