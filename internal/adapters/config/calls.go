package config

import "github.com/chorus-ai/chorus/internal/domain"

// CallCount is what one workflow request costs in upstream calls when every
// call succeeds.
type CallCount struct {
	Total   int // every upstream call of one request
	Workers int // leaf worker calls (domain.ModelNode)
	Plans   int // plans run: the root plus every sub-workflow
	Depth   int // nesting levels: 1 for a plan without sub-workflows
	// Routed is the cost of a request adaptive routing answers with one
	// model (analyzer + that model); 0 when routing is off.
	Routed int
}

// UpstreamCalls counts the calls of one request through the workflow. It
// mirrors the engine (internal/app): each plan, nested ones included, calls
// its analyzer only when one of its model workers takes the suggested
// temperature, each worker, its selector only with more than one worker, and
// its synthesizer only in synthesize mode. test/e2e holds the two together
// against a counting fake upstream.
func UpstreamCalls(wf domain.Workflow) CallCount {
	c := planCalls(wf, wf.Root, wf.Routing.Enabled())
	if wf.Routing.Enabled() {
		c.Routed = 2
	}
	return c
}

// planCalls counts p; forceAnalyzer is set for the root plan under adaptive
// routing, whose analyzer always runs to rate the request.
func planCalls(wf domain.Workflow, p *domain.Plan, forceAnalyzer bool) CallCount {
	if p == nil {
		return CallCount{}
	}
	c := CallCount{Plans: 1, Depth: 1}
	auto := domain.NewTemperaturePolicy(p.Analyzer, wf.Models[p.Analyzer.Model], false).Auto()
	analyzer := forceAnalyzer
	for _, w := range p.Workers {
		switch node := w.(type) {
		case domain.ModelNode:
			c.Total++
			c.Workers++
			analyzer = analyzer || domain.NewTemperaturePolicy(node.Target, wf.Models[node.Model], auto).NeedsSuggestion()
		case domain.SubWorkflowNode:
			sub := planCalls(wf, node.Plan, false)
			c.Total += sub.Total
			c.Workers += sub.Workers
			c.Plans += sub.Plans
			c.Depth = max(c.Depth, sub.Depth+1)
		}
	}
	if analyzer {
		c.Total++
	}
	if p.Selector != nil && len(p.Workers) > 1 {
		c.Total++
	}
	if p.Synthesizer != nil && wf.Mode != domain.ModeSelect {
		c.Total++
	}
	return c
}
