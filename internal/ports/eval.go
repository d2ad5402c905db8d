package ports

import "github.com/chorus-ai/chorus/internal/domain"

// EvalStore keeps an evaluation's answers and judgements so that a rerun
// asks only for what is missing. Keys are opaque digests of everything
// that changes the stored value; a Save must leave either the old state or
// the complete new value, never a torn file.
type EvalStore interface {
	// LoadAnswer returns the stored answer, ok = false when none.
	LoadAnswer(contestant, promptID, key string) (a domain.EvalAnswer, ok bool, err error)
	SaveAnswer(key string, a domain.EvalAnswer) error
	// LoadJudgement returns the stored judgement, ok = false when none.
	LoadJudgement(opponent, promptID, key string) (j domain.Judgement, ok bool, err error)
	SaveJudgement(opponent, promptID, key string, j domain.Judgement) error
}

// EvalEvent reports one step of an evaluation.
type EvalEvent struct {
	Phase  string // "answers" or "judgements"
	Done   int    // steps finished in this phase, this one included
	Total  int
	Label  string // e.g. "code-1 · gpt-4o"
	Cached bool   // the step was read from the store, nothing was asked
	Err    error  // the step failed (it is retried on the next run)
}

// EvalProgress receives progress events; calls never overlap.
type EvalProgress interface {
	Progress(EvalEvent)
}
