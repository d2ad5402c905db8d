package main

import (
	"fmt"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// runValidate loads the configuration without writing anything and reports
// the result: exit 0 when valid, 1 with every problem listed otherwise.
func runValidate(inv invocation, e env) int {
	opts := inv.loadOptions(e)
	// Secrets often live only where the server runs: an unset ${NAME} is a
	// warning here unless --strict asks for the serving rules.
	opts.LenientEnv = !inv.strict
	s, err := config.Load(opts)
	if err != nil {
		return configExitCode(err, e.stderr)
	}
	for _, w := range s.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	calls := config.UpstreamCalls(s.Workflow)
	fmt.Fprintf(e.stdout, "configuration OK: %s (%d models, %d worker calls per request)\n",
		sourceName(s), len(s.Models), calls.Workers)
	fmt.Fprintf(e.stdout, "upstream calls per request: %d (analyzers, workers, selectors and synthesizers of %d %s; nesting depth %d, mode %s)\n",
		calls.Total, calls.Plans, plural(calls.Plans, "plan", "plans"), calls.Depth, s.Workflow.Mode)
	if calls.Routed > 0 {
		fmt.Fprintf(e.stdout, "requests the analyzer rates easy: %d upstream calls (analyzer, then %s alone)\n",
			calls.Routed, s.Workflow.Routing.EasyTo)
	}
	if s.Legacy {
		fmt.Fprintf(e.stdout, "note: %s uses the legacy [workflow-integration] format (analyzer_model, worker_models, synthesizer_model); "+
			"it will be migrated to the workflow JSON form when served, or now with `chorus migrate --config %s`\n", s.Path, s.Path)
	}
	return exitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func sourceName(s *config.Settings) string {
	if s.Demo {
		return "embedded demo config"
	}
	return s.Path
}
