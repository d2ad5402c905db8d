package bench

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
)

// ExpectedCalls is the number of upstream calls one workflow request of
// ConfigTOML at depth makes, from the plan the real loader expands (dir
// holds the scratch config file). A gateway that retries, repeats or skips
// a call shows up as a different mean.
func ExpectedCalls(dir string, depth int) (int, error) {
	path := filepath.Join(dir, fmt.Sprintf("expected-calls-%d.toml", depth))
	toml := ConfigTOML(ConfigParams{Port: 1, FastURL: "http://127.0.0.1:1/v1", SlowURL: "http://127.0.0.1:2/v1", Depth: depth})
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		return 0, fmt.Errorf("expected calls: %w", err)
	}
	s, err := config.Load(config.LoadOptions{ExplicitPath: path, Getenv: func(string) string { return "" }})
	if err != nil {
		return 0, fmt.Errorf("expected calls: %w", err)
	}
	return planCalls(s.Workflow.Root), nil
}

// planCalls counts one plan's calls: its model workers and nested plans,
// the analyzer when a model worker takes its temperature (every bench
// worker does: the analyzer has auto_temperature), the selector when there
// is a choice, and the synthesizer.
func planCalls(p *domain.Plan) int {
	n, models := 0, 0
	for _, w := range p.Workers {
		switch w := w.(type) {
		case domain.ModelNode, *domain.ModelNode:
			n++
			models++
		case domain.SubWorkflowNode:
			n += planCalls(w.Plan)
		case *domain.SubWorkflowNode:
			n += planCalls(w.Plan)
		}
	}
	if models > 0 {
		n++
	}
	if p.Selector != nil && len(p.Workers) > 1 {
		n++
	}
	if p.Synthesizer != nil {
		n++
	}
	return n
}
