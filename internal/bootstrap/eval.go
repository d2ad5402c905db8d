package bootstrap

import (
	"context"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/adapters/evaluation"
	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// EvalOptions configure one `chorus eval` run.
type EvalOptions struct {
	Settings    *config.Settings
	PromptsPath string
	Judge       string
	OutDir      string
	Concurrency int
	Progress    ports.EvalProgress
	Logger      zerolog.Logger
}

// Evaluation is a wired evaluation: prompts read, contestants built, store
// opened. Estimate spends nothing; Run asks, judges and writes the reports.
type Evaluation struct {
	opts     EvalOptions
	prompts  []domain.EvalPrompt
	eval     *app.Evaluator
	registry *llm.Registry
}

// NewEvaluation reads the prompt file and wires the evaluator over the
// configured models; the answers and judgements are kept under OutDir.
func NewEvaluation(opts EvalOptions) (*Evaluation, error) {
	if opts.Settings == nil {
		return nil, errors.New("eval: nil settings")
	}
	prompts, err := evaluation.ReadPromptFile(opts.PromptsPath)
	if err != nil {
		return nil, err
	}
	registry, err := llm.NewRegistry(opts.Settings.Models, llm.Options{Logger: opts.Logger})
	if err != nil {
		return nil, fmt.Errorf("eval: upstream models: %w", err)
	}
	ev, err := app.NewEvaluator(app.EvalDeps{
		Workflow: opts.Settings.Workflow, Models: registry, Judge: opts.Judge,
		Store: evaluation.NewStore(opts.OutDir), Progress: opts.Progress,
		Concurrency: opts.Concurrency, Logger: opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	return &Evaluation{opts: opts, prompts: prompts, eval: ev, registry: registry}, nil
}

// Estimate is the dry run: calls and tokens a Run would spend.
func (e *Evaluation) Estimate() app.EvalEstimate { return e.eval.Estimate(e.prompts) }

// Run evaluates and writes OutDir/report.json and report.html, also when
// ctx ends early (a partial report); the run's error is returned after the
// reports were written.
func (e *Evaluation) Run(ctx context.Context) (domain.EvalReport, error) {
	defer e.registry.CloseIdleConnections()
	rep, runErr := e.eval.Run(ctx, e.prompts)
	if err := evaluation.WriteReports(e.opts.OutDir, rep); err != nil {
		return rep, errors.Join(runErr, err)
	}
	return rep, runErr
}
