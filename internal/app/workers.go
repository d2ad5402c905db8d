package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/chorus-ai/chorus/internal/domain"
)

// workers runs every worker of the plan concurrently (worker calls are
// bounded by the request's max_concurrency slots). A worker's failure is
// data, recorded in its trace; only when all of them fail does the plan
// fail, with every worker's error.
func (r *run) workers(ctx context.Context, p *domain.Plan, at level, auto bool,
	suggestion domain.OptFloat, tr *domain.ExecutionTrace) ([]domain.Candidate, error) {
	ctx, span := r.startStage(ctx, "workers")
	n := len(p.Workers)
	traces, calls, errs := make([]domain.WorkerTrace, n), make([][]domain.ToolCall, n), make([]error, n)
	var wg sync.WaitGroup
	for i, node := range p.Workers {
		if i == n-1 {
			// The last worker runs on this goroutine, whose stack has
			// already grown: one goroutine start and handoff fewer.
			traces[i], calls[i], errs[i] = r.worker(ctx, node, at.child(i), auto, suggestion)
			r.progress.worker(at.depth, i, traces[i], errs[i])
			break
		}
		wg.Go(func() {
			traces[i], calls[i], errs[i] = r.worker(ctx, node, at.child(i), auto, suggestion)
			r.progress.worker(at.depth, i, traces[i], errs[i])
		})
	}
	wg.Wait()
	tr.Workers = traces
	cands, err := collect(p, traces, calls, errs)
	if err != nil {
		if stop := stopped(ctx); stop != nil {
			err = stop
		}
		endStage(span, status(ctx, err), err.Error())
		return nil, err
	}
	endStage(span, domain.StatusOK, "")
	return cands, nil
}

// collect turns the workers' outcomes into candidates (configuration order).
func collect(p *domain.Plan, traces []domain.WorkerTrace, calls [][]domain.ToolCall, errs []error) ([]domain.Candidate, error) {
	if len(traces) == 0 {
		return nil, &domain.StageError{Stage: "workers", Err: fmt.Errorf("plan %s has no workers", p.Label())}
	}
	var failures []domain.WorkerFailure
	cands := make([]domain.Candidate, 0, len(traces))
	for i, t := range traces {
		if errs[i] != nil {
			failures = append(failures, domain.WorkerFailure{Label: t.Label, Err: errs[i]})
			continue
		}
		cands = append(cands, domain.Candidate{Label: domain.CandidateLabel(len(cands)), Node: t.Label, Worker: i,
			Text: t.Response, ToolCalls: calls[i]})
	}
	if len(cands) == 0 {
		return nil, &domain.AllWorkersFailedError{Plan: p.Label(), Failures: failures}
	}
	return cands, nil
}

// worker runs one node; at is the level a sub-workflow node runs at. It runs on its own goroutine (or inline for the
// last worker), so a panic anywhere in it is recovered into this worker's
// failure instead of killing the process or the whole request.
func (r *run) worker(ctx context.Context, node domain.Node, at level, auto bool,
	suggestion domain.OptFloat) (wt domain.WorkerTrace, calls []domain.ToolCall, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = r.s.recovered(ctx, "worker "+nodeLabel(node), v)
			wt.Label = nodeLabel(node)
			wt.Call.Status, wt.Call.Error = domain.StatusError, err.Error()
		}
	}()
	if m, ok := modelNode(node); ok {
		return r.modelWorker(ctx, m, auto, suggestion)
	}
	if sub, ok := subWorkflow(node); ok && sub.Plan != nil {
		return r.subWorker(ctx, sub, at)
	}
	err = fmt.Errorf("unsupported or empty worker node %T", node)
	return domain.WorkerTrace{Label: fmt.Sprintf("%T", node), Call: domain.CallTrace{Status: domain.StatusError, Error: err.Error()}}, nil, err
}

// modelWorker calls one model with the client's conversation and tools. An
// answer that breaks the request's tool rules is a failed candidate whose
// reason is in the trace.
func (r *run) modelWorker(ctx context.Context, n domain.ModelNode, auto bool,
	suggestion domain.OptFloat) (domain.WorkerTrace, []domain.ToolCall, error) {
	spec := r.spec(n.Model)
	temp := domain.NewTemperaturePolicy(n.Target, spec, auto).Resolve(suggestion)
	wt := domain.WorkerTrace{Label: n.Label()}
	release, err := r.acquire(ctx)
	if err != nil {
		wt.Call = r.startTrace(n.Model, temp)
		wt.Call.Status, wt.Call.Error = domain.StatusCanceled, err.Error()
		return wt, nil, err
	}
	defer release()
	msgs, note := r.workerMessages(spec)
	comp, ct, err := r.call(ctx, callSpec{model: n.Model, temp: temp, timeout: spec.Timeouts.Worker, messages: msgs, params: r.workerParams})
	wt.Call, wt.Call.Note = ct, note
	var calls []domain.ToolCall
	if err == nil {
		wt.Response, wt.ToolCalls = comp.Text, toolCallTraces(comp.ToolCalls)
		if calls, err = r.tools.check(comp.Text, comp.ToolCalls); err != nil {
			wt.Call.Status, wt.Call.Error = domain.StatusError, err.Error()
		}
	}
	if err != nil {
		l := r.s.logger(ctx)
		l.Warn().Err(err).Str("workflow_id", r.id).Str("worker", wt.Label).Msg("worker call failed")
		return wt, nil, err
	}
	return wt, calls, nil
}

// subWorker runs a nested plan under its own span; its trace is kept also
// when it fails.
func (r *run) subWorker(ctx context.Context, n domain.SubWorkflowNode, at level) (domain.WorkerTrace, []domain.ToolCall, error) {
	start := r.offset()
	sctx, span := r.startWorkflowSpan(ctx, n.Plan.Label(), at)
	ans, nested, err := r.plan(sctx, n.Plan, at)
	recordOutput(span, nested.Output)
	endSpan(span, err)
	wt := domain.WorkerTrace{Label: n.Label(), Nested: nested, Response: ans.text, ToolCalls: toolCallTraces(ans.toolCalls),
		Call: domain.CallTrace{Start: start, Duration: r.offset() - start, Status: nested.Status, Error: nested.Error, Usage: nested.Usage}}
	if err != nil {
		l := r.s.logger(ctx)
		l.Warn().Err(err).Str("workflow_id", r.id).Str("worker", wt.Label).Str("plan_path", at.path).Msg("nested workflow failed")
		return wt, nil, fmt.Errorf("nested workflow %s (%s): %w", n.Plan.Label(), at.path, err)
	}
	return wt, ans.toolCalls, nil
}

// nodeLabel names a node for logs, also a nil one.
func nodeLabel(n domain.Node) string {
	if m, ok := modelNode(n); ok {
		return m.Label()
	}
	if sub, ok := subWorkflow(n); ok && sub.Plan != nil {
		return sub.Label()
	}
	return fmt.Sprintf("%T", n)
}

// modelNode and subWorkflow accept both value and pointer nodes.
func modelNode(n domain.Node) (domain.ModelNode, bool) {
	switch t := n.(type) {
	case domain.ModelNode:
		return t, true
	case *domain.ModelNode:
		if t != nil {
			return *t, true
		}
	}
	return domain.ModelNode{}, false
}

func subWorkflow(n domain.Node) (domain.SubWorkflowNode, bool) {
	switch t := n.(type) {
	case domain.SubWorkflowNode:
		return t, true
	case *domain.SubWorkflowNode:
		if t != nil {
			return *t, true
		}
	}
	return domain.SubWorkflowNode{}, false
}
