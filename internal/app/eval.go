package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// DefaultEvalConcurrency bounds the answers and judgements asked at once
// when EvalDeps.Concurrency is zero.
const DefaultEvalConcurrency = 4

// Evaluation phases reported to ports.EvalProgress.
const (
	PhaseAnswers    = "answers"
	PhaseJudgements = "judgements"
)

// EvalDeps are an Evaluator's dependencies.
type EvalDeps struct {
	Workflow domain.Workflow
	Models   ports.ModelResolver
	// Judge is the configured model that compares answers pairwise.
	Judge string
	Store ports.EvalStore
	// Progress receives one event per answer and judgement (nil: none).
	Progress ports.EvalProgress
	// Concurrency bounds the answers (each may be a whole workflow) and
	// judgements in flight (default DefaultEvalConcurrency).
	Concurrency int
	Now         func() time.Time
	Logger      zerolog.Logger
}

// Evaluator runs `chorus eval`: every prompt through the workflow and each
// opponent, then a blind pairwise judge on each (workflow, opponent) pair in
// both orders. It is the use case; prompt files, the answer store and the
// report files are adapters.
type Evaluator struct {
	d           EvalDeps
	contestants []contestant
	progressMu  sync.Mutex
}

// NewEvaluator checks the dependencies and builds the contestants from the
// workflow.
func NewEvaluator(d EvalDeps) (*Evaluator, error) {
	if d.Models == nil || d.Store == nil {
		return nil, errors.New("app: EvalDeps.Models and EvalDeps.Store are required")
	}
	if _, ok := d.Workflow.Models[d.Judge]; !ok {
		return nil, fmt.Errorf("eval: judge %q: %w", d.Judge, domain.ErrUnknownModel)
	}
	if d.Concurrency <= 0 {
		d.Concurrency = DefaultEvalConcurrency
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	cs, err := newContestants(d)
	if err != nil {
		return nil, err
	}
	return &Evaluator{d: d, contestants: cs}, nil
}

// Contestants lists what is compared: the workflow first, then its opponents.
func (e *Evaluator) Contestants() []domain.Contestant {
	out := make([]domain.Contestant, len(e.contestants))
	for i, c := range e.contestants {
		out[i] = c.Contestant
	}
	return out
}

// Run answers and judges every prompt and returns the report. When ctx ends
// early it returns the partial report (Complete false) of what finished,
// with the context's error; everything finished is already in the store.
func (e *Evaluator) Run(ctx context.Context, prompts []domain.EvalPrompt) (domain.EvalReport, error) {
	answers := e.answerAll(ctx, prompts)
	var pairs []domain.PairResult
	if ctx.Err() == nil {
		pairs = e.judgeAll(ctx, prompts, answers)
	}
	rep := e.report(prompts, answers, pairs)
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("eval interrupted: %w", err)
	}
	rep.Complete = true
	return rep, nil
}

// progress reports one finished step; calls are serialized.
func (e *Evaluator) progress(ev ports.EvalEvent) {
	if e.d.Progress == nil {
		return
	}
	e.progressMu.Lock()
	defer e.progressMu.Unlock()
	e.d.Progress.Progress(ev)
}

// forEach runs fn(i) for i in [0, n) on at most limit goroutines and stops
// starting new calls once ctx ends.
func forEach(ctx context.Context, n, limit int, fn func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}()
	}
	wg.Wait()
}
