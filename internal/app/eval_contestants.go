package app

import (
	"fmt"

	"github.com/chorus-ai/chorus/internal/domain"
)

// contestant is one way of answering: a service and the model name the
// request carries (the workflow's name runs the workflow, a configured
// model's name passes through to it alone).
type contestant struct {
	domain.Contestant
	svc   *Service
	model string
}

// newContestants builds the workflow (adaptive routing off) and its
// opponents: each worker model alone, the workflow in select mode and the
// synthesizer model alone (ablations), and the workflow with adaptive
// routing when it is configured.
func newContestants(d EvalDeps) ([]contestant, error) {
	wf := d.Workflow
	if wf.Name == "" {
		wf.Name = domain.DefaultWorkflowName
	}
	plain := wf
	plain.Routing = domain.Routing{}
	base, err := evalService(d, plain)
	if err != nil {
		return nil, err
	}
	out := []contestant{{domain.Contestant{Name: wf.Name, Kind: domain.ContestantWorkflow}, base, wf.Name}}
	seen := map[string]bool{}
	for _, m := range leafModels(wf.Root) {
		if !seen[m] {
			seen[m] = true
			out = append(out, contestant{domain.Contestant{Name: m, Kind: domain.ContestantSingle}, base, m})
		}
	}
	root := wf.Root
	if wf.Mode != domain.ModeSelect && root.Selector != nil && root.Synthesizer != nil {
		sel := plain
		sel.Mode = domain.ModeSelect
		svc, err := evalService(d, sel)
		if err != nil {
			return nil, err
		}
		out = append(out, contestant{domain.Contestant{Name: wf.Name + " (select)", Kind: domain.ContestantSelect}, svc, wf.Name})
	}
	if root.Synthesizer != nil && !seen[root.Synthesizer.Model] {
		m := root.Synthesizer.Model
		out = append(out, contestant{domain.Contestant{Name: m, Kind: domain.ContestantSynthesizer}, base, m})
	}
	if wf.Routing.Enabled() {
		svc, err := evalService(d, wf)
		if err != nil {
			return nil, err
		}
		out = append(out, contestant{domain.Contestant{Name: wf.Name + " (adaptive)", Kind: domain.ContestantAdaptive}, svc, wf.Name})
	}
	return out, nil
}

func evalService(d EvalDeps, wf domain.Workflow) (*Service, error) {
	svc, err := NewService(Deps{Workflow: wf, Models: d.Models, Now: d.Now, Logger: d.Logger})
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	return svc, nil
}

// leafModels lists the model workers of a plan at any depth, in order.
func leafModels(p *domain.Plan) []string {
	var out []string
	for _, n := range p.Workers {
		switch w := n.(type) {
		case domain.ModelNode:
			out = append(out, w.Model)
		case domain.SubWorkflowNode:
			out = append(out, leafModels(w.Plan)...)
		}
	}
	return out
}
