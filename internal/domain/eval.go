package domain

import "time"

// EvalPrompt is one prompt of a `chorus eval` prompt set.
type EvalPrompt struct {
	ID        string
	Messages  []Message
	Reference string // optional reference answer shown to the judge
}

// Contestant kinds of an evaluation.
const (
	ContestantWorkflow    = "workflow"    // the configured workflow
	ContestantSingle      = "single"      // one worker model alone
	ContestantSelect      = "select"      // ablation: the workflow in select mode
	ContestantSynthesizer = "synthesizer" // ablation: the synthesizer model alone
	ContestantAdaptive    = "adaptive"    // the workflow with adaptive routing on
)

// Contestant is one way of answering a prompt that an evaluation compares.
type Contestant struct {
	Name string // unique within an evaluation; a model name or "<workflow> (<kind>)"
	Kind string // one of the Contestant* kinds
}

// EvalAnswer is one contestant's answer to one prompt.
type EvalAnswer struct {
	PromptID   string
	Contestant string
	Text       string
	Usage      Usage
	// UsageByModel splits Usage by the model that spent it (for prices).
	UsageByModel map[string]Usage
	Calls        int // upstream calls made
	Latency      time.Duration
	Routed       bool // adaptive routing answered with one model
}

// Verdict is a judge's pairwise preference in the order it was shown.
type Verdict string

// Verdicts: the first or second answer shown is better, or neither.
const (
	VerdictFirst  Verdict = "first"
	VerdictSecond Verdict = "second"
	VerdictTie    Verdict = "tie"
)

// Outcome is a pair's result from the workflow's side.
type Outcome string

// Outcomes of a pair for the workflow.
const (
	OutcomeWin  Outcome = "win"
	OutcomeTie  Outcome = "tie"
	OutcomeLoss Outcome = "loss"
)

// score is an outcome's value in a win rate (ties count half).
func (o Outcome) score() float64 {
	switch o {
	case OutcomeWin:
		return 1
	case OutcomeTie:
		return 0.5
	}
	return 0
}

// Judgement is the judge's verdict on one ordering of one pair.
type Judgement struct {
	Verdict Verdict
	Reason  string
	Usage   Usage
}

// PairResult is the judge's verdicts on the workflow's and an opponent's
// answers to one prompt, shown in both orders.
type PairResult struct {
	PromptID string
	Opponent string
	// WorkflowFirst is the verdict with the workflow's answer shown first;
	// OpponentFirst with the opponent's answer first.
	WorkflowFirst, OpponentFirst Judgement
}

// Outcomes returns the result of each ordering from the workflow's side.
func (p PairResult) Outcomes() (workflowFirst, opponentFirst Outcome) {
	return outcomeOf(p.WorkflowFirst.Verdict, VerdictFirst), outcomeOf(p.OpponentFirst.Verdict, VerdictSecond)
}

func outcomeOf(v, workflowPosition Verdict) Outcome {
	switch v {
	case VerdictTie:
		return OutcomeTie
	case workflowPosition:
		return OutcomeWin
	}
	return OutcomeLoss
}

// Outcome combines both orderings: the mean of their scores (win 1, tie ½,
// loss 0) above ½ is a win, below is a loss, exactly ½ is a tie. So a win
// in one order and a loss in the other (position bias) is a tie, and a win
// in one order with a tie in the other is a win.
func (p PairResult) Outcome() Outcome {
	a, b := p.Outcomes()
	switch s := a.score() + b.score(); {
	case s > 1:
		return OutcomeWin
	case s < 1:
		return OutcomeLoss
	}
	return OutcomeTie
}

// PositionBiased reports whether the verdict changed with the order the
// answers were shown in.
func (p PairResult) PositionBiased() bool {
	a, b := p.Outcomes()
	return a != b
}
