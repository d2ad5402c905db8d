package domain

import "time"

// EvalReport is the result of `chorus eval`: the workflow against each
// opponent, with cost and latency per contestant. A partial report (an
// interrupted run) has Complete false and counts only what finished.
type EvalReport struct {
	Workflow    string // the workflow contestant's name
	Judge       string
	Prompts     int
	Complete    bool
	Contestants []ContestantReport // the workflow first
	Opponents   []OpponentReport
	Pairs       []PairResult // every pair judged in both orders
	JudgeCalls  int
	JudgeUsage  Usage
	JudgeCost   OptFloat // US dollars; unset when the judge has no prices
}

// ContestantReport is one contestant's cost and latency over its answers.
type ContestantReport struct {
	Contestant
	Answers int // prompts answered
	Failed  int // prompts whose answer failed (asked again on the next run)
	Routed  int // answers adaptive routing gave with one model
	Calls   int // upstream calls, summed over Answers
	Usage   Usage
	// Cost is in US dollars, summed over Answers; unset unless every model
	// the contestant called has both prices configured.
	Cost       OptFloat
	LatencyP50 time.Duration
	LatencyP95 time.Duration
}

// OpponentReport is the workflow's record against one opponent.
type OpponentReport struct {
	Contestant
	PairTally
	WinRate      float64 // the workflow's (wins + ties/2) / pairs
	CILow        float64 // Wilson 95% interval of WinRate
	CIHigh       float64
	PositionBias float64 // share of pairs whose verdict changed with the order
	Unjudged     int     // prompts without both answers and both verdicts
}
