package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/internal/domain"
)

// exitInterrupted is the exit code of an eval stopped by a signal (128+SIGINT).
const exitInterrupted = 130

// demoJudge judges `chorus eval --demo` when --judge is not given.
const demoJudge = "echo-judge"

// runEval runs `chorus eval`: the dry-run estimate, or the evaluation with
// its reports (also a partial one when interrupted).
func runEval(ctx context.Context, inv invocation, e env) int {
	f := inv.eval
	if f.judge == "" && inv.demo {
		f.judge = demoJudge
	}
	if f.prompts == "" || f.judge == "" || f.out == "" {
		fmt.Fprintln(e.stderr, "chorus: eval needs --prompts FILE.jsonl, --judge MODEL and --out DIR")
		return exitUsage
	}
	if f.concurrency < 0 {
		fmt.Fprintln(e.stderr, "chorus: --concurrency must be positive")
		return exitUsage
	}
	settings, err := config.Load(inv.loadOptions(e))
	if err != nil {
		return configExitCode(err, e.stderr)
	}
	ev, err := bootstrap.NewEvaluation(bootstrap.EvalOptions{
		Settings: settings, PromptsPath: f.prompts, Judge: f.judge, OutDir: f.out,
		Concurrency: f.concurrency, Progress: newProgressBar(e.stderr), Logger: zerolog.Nop(),
	})
	if err != nil {
		fmt.Fprintln(e.stderr, "chorus:", err)
		return exitFailure
	}
	if inv.dryRun {
		printEstimate(e.stdout, ev.Estimate(), f.judge)
		return exitOK
	}
	rep, err := ev.Run(ctx)
	printReport(e.stdout, rep, f.out)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled) && !rep.Complete:
		fmt.Fprintf(e.stderr, "chorus: eval interrupted; partial report written to %s (rerun the same command to resume)\n", f.out)
		return exitInterrupted
	default:
		fmt.Fprintln(e.stderr, "chorus:", err)
		return exitFailure
	}
}

// printEstimate writes the dry run's table.
func printEstimate(w io.Writer, est app.EvalEstimate, judge string) {
	fmt.Fprintf(w, "chorus eval dry run: %d prompts, %d contestants, judge %s (nothing was asked)\n\n", est.Prompts, len(est.Contestants), judge)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "contestant\tkind\tcalls/answer\tcached")
	for _, c := range est.Contestants {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d/%d\n", c.Name, c.Kind, c.CallsPerAnswer, c.Cached, est.Prompts)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nanswers to ask: %d (%d cached), up to %d upstream calls\n", est.Answers, est.CachedAnswers, est.AnswerCalls)
	fmt.Fprintf(w, "judge calls: up to %d (every pair in both orders; stored verdicts are reused)\n", est.JudgeCalls)
	fmt.Fprintf(w, "tokens (rough: 4 characters per token, %d per answer): ~%d input, ~%d output\n",
		app.EstimatedAnswerTokens, est.InputTokens, est.OutputTokens)
}

// printReport writes the opponents' table and where the reports are.
func printReport(w io.Writer, rep domain.EvalReport, dir string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s vs\twins\tties\tlosses\twin rate\t95%% interval\tposition bias\n", rep.Workflow)
	for _, o := range rep.Opponents {
		name := o.Name // "chorus (select)" already says its kind
		if o.Kind == domain.ContestantSingle || o.Kind == domain.ContestantSynthesizer {
			name += " (" + o.Kind + ")"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f%%\t%.0f%% – %.0f%%\t%.0f%%\n", name, o.Wins, o.Ties, o.Losses,
			100*o.WinRate, 100*o.CILow, 100*o.CIHigh, 100*o.PositionBias)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "report: %s %s\n", filepath.Join(dir, "report.json"), filepath.Join(dir, "report.html"))
}

// isTerminal reports whether w is a character device (an interactive
// terminal), where the progress bar redraws one line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
