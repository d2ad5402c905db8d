package config

import (
	"github.com/chorus-ai/chorus/internal/domain"
)

// maxExpandedNodes bounds the tree nested_worker_depth may produce. Each
// level doubles every worker, and already-nested plans multiply again, so a
// large depth would otherwise exhaust memory at load time.
const maxExpandedNodes = 4096

// expandDepth applies nested_worker_depth to plan in place with the
// original's R algorithm (original-behavior §3.7): recurse into nested plans
// first with the same depth, then replace each worker W by rep(W, depth-1),
// where rep wraps two copies of the level below in a plan that reuses the
// parent's analyzer, selector and synthesizer. Each worker then runs
// 2^(depth-1) times. The caller has checked depth >= 1 and the size bound.
func expandDepth(p *domain.Plan, depth int) {
	for _, w := range p.Workers {
		if sw, ok := w.(domain.SubWorkflowNode); ok {
			expandDepth(sw.Plan, depth)
		}
	}
	if depth <= 1 || len(p.Workers) == 0 {
		return
	}
	for i, w := range p.Workers {
		p.Workers[i] = replicate(p, w, depth-1)
	}
}

// replicate is rep(W, k): W itself for k = 0, else a plan holding two
// copies of rep(W, k-1). Copies are deep so no two nodes share a plan.
func replicate(parent *domain.Plan, w domain.Node, k int) domain.Node {
	if k == 0 {
		return cloneNode(w)
	}
	return domain.SubWorkflowNode{Plan: &domain.Plan{
		Analyzer:    parent.Analyzer,
		Workers:     []domain.Node{replicate(parent, w, k-1), replicate(parent, w, k-1)},
		Selector:    cloneTarget(parent.Selector),
		Synthesizer: cloneTarget(parent.Synthesizer),
	}}
}

func cloneNode(n domain.Node) domain.Node {
	sw, ok := n.(domain.SubWorkflowNode)
	if !ok {
		return n // ModelNode is a plain value
	}
	return domain.SubWorkflowNode{Plan: clonePlan(sw.Plan)}
}

func clonePlan(p *domain.Plan) *domain.Plan {
	out := &domain.Plan{
		Analyzer:    p.Analyzer,
		Selector:    cloneTarget(p.Selector),
		Synthesizer: cloneTarget(p.Synthesizer),
		Workers:     make([]domain.Node, len(p.Workers)),
	}
	for i, w := range p.Workers {
		out.Workers[i] = cloneNode(w)
	}
	return out
}

func cloneTarget(t *domain.Target) *domain.Target {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// expandedNodes counts the worker nodes (leaves and sub-plans) the plan will
// have after expansion with depth, saturating at limit+1 so huge depths are
// cheap to reject.
func expandedNodes(p *domain.Plan, depth, limit int) int {
	copies, wrappers := 1, 0
	for range max(depth-1, 0) {
		copies = satMul(copies, 2, limit)
		wrappers = satAdd(wrappers, copies/2, limit) // 1 + 2 + ... + 2^(k-1)
	}
	total := 0
	for _, w := range p.Workers {
		size := 1
		if sw, ok := w.(domain.SubWorkflowNode); ok {
			size = satAdd(1, expandedNodes(sw.Plan, depth, limit), limit)
		}
		total = satAdd(total, satAdd(satMul(copies, size, limit), wrappers, limit), limit)
	}
	return total
}

func satAdd(a, b, limit int) int { return min(a+b, limit+1) }

func satMul(a, b, limit int) int {
	if a > 0 && b > (limit+1)/a {
		return limit + 1
	}
	return min(a*b, limit+1)
}

// WorkerCalls counts the model-worker calls one request makes through the
// plan, nested plans included (each leaf ModelNode is one call).
func WorkerCalls(p *domain.Plan) int {
	return planCalls(domain.Workflow{Root: p}, p, false).Workers
}
