package main

import (
	"fmt"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// runValidate loads the configuration without writing anything and reports
// the result: exit 0 when valid, 1 with every problem listed otherwise.
func runValidate(inv invocation, e env) int {
	opts := inv.loadOptions(e.getenv)
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
	fmt.Fprintf(e.stdout, "configuration OK: %s (%d models, %d worker calls per request)\n",
		sourceName(s), len(s.Models), config.WorkerCalls(s.Workflow.Root))
	if s.Legacy {
		fmt.Fprintf(e.stdout, "note: %s uses the legacy [workflow-integration] format (analyzer_model, worker_models, synthesizer_model); "+
			"it will be migrated to the workflow JSON form when served, or now with `chorus migrate --config %s`\n", s.Path, s.Path)
	}
	return exitOK
}

func sourceName(s *config.Settings) string {
	if s.Demo {
		return "embedded demo config"
	}
	return s.Path
}
