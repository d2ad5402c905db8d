package app

import (
	"context"
	"fmt"

	"github.com/chorus-ai/chorus/internal/domain"
)

// answer is a plan's final answer: text, tool calls, or both.
type answer struct {
	text      string
	toolCalls []domain.ToolCall
	finish    string
}

// runWorkflow runs the root plan under the "invoke_workflow <name>" span.
func (s *Service) runWorkflow(ctx context.Context, req domain.ChatRequest, em *emitter) (domain.ChatResult, error) {
	r := s.newRun(req, em)
	res := domain.ChatResult{Model: req.Model, WorkflowID: r.id}
	if res.Model == "" {
		res.Model = s.name
	}
	root := level{path: s.name}
	ctx, span := r.startWorkflowSpan(ctx, s.wf.Root.Label(), root)
	ans, tr, err := r.plan(ctx, s.wf.Root, root)
	recordOutput(span, tr.Output)
	if err == nil {
		r.noteDegraded(ctx, span, tr)
	}
	endSpan(span, err)
	res.Trace, res.Usage = tr, tr.Usage
	if err != nil {
		return res, err
	}
	res.Text, res.FinishReason = ans.text, ans.finish
	res.Reasoning = r.progress.text()
	if c := r.routed; c != nil {
		res.Reasoning += c.Reasoning
		res.ToolCalls = c.ToolCalls
	} else if len(ans.toolCalls) > 0 {
		res.ToolCalls = finalToolCalls(r.id, ans.toolCalls)
	}
	return res, nil
}

// level says where a plan sits in the workflow tree: its nesting depth (0
// for the root) and its path, the workflow's name followed by the worker
// indexes leading to it (chorus.workers[1].workers[0]). Expanded and
// repeated sub-workflows share a label (their synthesizer's model); the
// path tells them apart in logs and span names.
type level struct {
	depth int
	path  string
}

// child is the level of the sub-workflow that is worker i of this plan.
func (l level) child(i int) level {
	return level{depth: l.depth + 1, path: fmt.Sprintf("%s.workers[%d]", l.path, i)}
}

// plan runs one plan and always returns its trace, also on failure.
func (r *run) plan(ctx context.Context, p *domain.Plan, at level) (answer, *domain.ExecutionTrace, error) {
	tr := &domain.ExecutionTrace{WorkflowID: r.id, Plan: p.Label(), Mode: r.s.wf.Mode, Start: r.offset()}
	ans, err := r.stages(ctx, p, at, tr)
	tr.Duration = r.offset() - tr.Start
	tr.Usage = planUsage(tr)
	tr.Status = domain.StatusOK
	if err != nil {
		tr.Status, tr.Error = status(ctx, err), err.Error()
	} else if len(tr.DegradedStages()) > 0 {
		tr.Status = domain.StatusDegraded
	}
	l := r.s.logger(ctx)
	l.Debug().Str("workflow_id", r.id).Str("plan", tr.Plan).Str("plan_path", at.path).Int("depth", at.depth).
		Str("status", string(tr.Status)).Dur("duration", tr.Duration).Msg("workflow plan finished")
	return ans, tr, err
}

// stages reads as the workflow: analyze → workers → select → synthesize.
func (r *run) stages(ctx context.Context, p *domain.Plan, at level, tr *domain.ExecutionTrace) (answer, error) {
	auto := domain.NewTemperaturePolicy(p.Analyzer, r.spec(p.Analyzer.Model), false).Auto()
	suggestion := r.analyze(ctx, p, auto, tr)
	r.progress.analyzer(at.depth, tr.Analyzer)
	if err := stopped(ctx); err != nil {
		return answer{}, err
	}
	if r.routes(p) {
		if r.easy(tr.Analyzer) {
			r.progress.line(at.depth, "router: an easy request, one model answers")
			return r.route(ctx, suggestion, tr)
		}
		markRoute(ctx, "full", "", tr.Analyzer.Difficulty)
	}
	r.progress.workersStarted(at.depth, len(p.Workers))
	cands, err := r.workers(ctx, p, at, auto, suggestion, tr)
	if err != nil {
		return answer{}, err
	}
	sel := r.selectBest(ctx, p, cands, tr)
	r.progress.selector(at.depth, tr.Selector, cands)
	if err := stopped(ctx); err != nil {
		return answer{}, err
	}
	ans, err := r.synthesize(ctx, p, at, cands, sel, tr)
	if err != nil {
		return answer{}, err
	}
	return ans, stopped(ctx)
}

// planUsage sums every call of a plan, nested plans included.
func planUsage(tr *domain.ExecutionTrace) domain.Usage {
	var u domain.Usage
	if tr.Analyzer != nil {
		u = u.Add(tr.Analyzer.Usage)
	}
	for _, w := range tr.Workers {
		u = u.Add(w.Call.Usage)
	}
	if tr.Selector != nil {
		u = u.Add(tr.Selector.Usage)
	}
	if tr.Synthesizer != nil {
		u = u.Add(tr.Synthesizer.Usage)
	}
	if tr.Routed != nil {
		u = u.Add(tr.Routed.Usage)
	}
	return u
}

// promptData fills the template fields shared by every stage prompt.
func (r *run) promptData(cands []domain.Candidate) promptData {
	d := promptData{Conversation: r.convo, LastUserMessage: lastUserMessage(r.messages)}
	d.Candidates = make([]promptCandidate, len(cands))
	for i, c := range cands {
		d.Candidates[i] = promptCandidate{Label: c.Label, Text: candidateText(c.Text, c.ToolCalls)}
	}
	return d
}
