package config_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/domain"
)

// nestedPlan has one model worker and one nested plan (2 workers) that has
// its own analyzer and synthesizer.
const nestedPlan = `{"analyzer":{"ref":"a"},"workers":["b",{"analyzer":{"ref":"b"},"workers":["c","d"],"synthesizer":{"ref":"c"}}],"selector":{"ref":"a"},"synthesizer":{"ref":"d"}}`

func loadDepth(t *testing.T, plan string, depth int) *domain.Plan {
	t.Helper()
	content := baseModels + fmt.Sprintf("\n[workflow-integration]\nnested_worker_depth = %d\njson = '''%s'''\n", depth, plan)
	s, err := loadString(t, content, noEnv)
	require.NoError(t, err)
	require.Equal(t, depth, s.NestedWorkerDepth)
	return s.Workflow.Root
}

// leafModels lists the model names of all leaf workers in order.
func leafModels(p *domain.Plan) []string {
	var out []string
	for _, w := range p.Workers {
		switch n := w.(type) {
		case domain.ModelNode:
			out = append(out, n.Model)
		case domain.SubWorkflowNode:
			out = append(out, leafModels(n.Plan)...)
		}
	}
	return out
}

func TestExpand_FlatWorkflow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		depth     int
		wantLeafs int
	}{
		{"depth 1 leaves the plan unchanged", 1, 2},
		{"depth 2 runs every worker twice", 2, 4},
		{"depth 3 runs every worker four times", 3, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := loadDepth(t, flatPlan, tt.depth)
			require.Len(t, root.Workers, 2, "the root keeps one node per configured worker")
			require.Equal(t, tt.wantLeafs, config.WorkerCalls(root))
			require.Equal(t, tt.wantLeafs, 1<<(tt.depth-1)*2, "2^(n-1) per worker")
			for i, model := range []string{"b", "c"} {
				requireReplicated(t, root, root.Workers[i], model, tt.depth-1)
			}
		})
	}
}

// requireReplicated checks that n is rep(W, k) for the model worker W:
// k levels of plans reusing the parent's stages, two copies per level.
func requireReplicated(t *testing.T, parent *domain.Plan, n domain.Node, model string, k int) {
	t.Helper()
	if k == 0 {
		mn, ok := n.(domain.ModelNode)
		require.True(t, ok, "level 0 is the worker itself")
		require.Equal(t, model, mn.Model)
		return
	}
	sw, ok := n.(domain.SubWorkflowNode)
	require.True(t, ok, "each level is a sub-workflow")
	require.Equal(t, parent.Analyzer, sw.Plan.Analyzer)
	require.Equal(t, parent.Selector, sw.Plan.Selector)
	require.Equal(t, parent.Synthesizer, sw.Plan.Synthesizer)
	require.Len(t, sw.Plan.Workers, 2)
	for _, c := range sw.Plan.Workers {
		requireReplicated(t, parent, c, model, k-1)
	}
}

func TestExpand_NestedWorkflow(t *testing.T) {
	t.Parallel()
	// Each plan's workers run 2^(n-1) times relative to that plan; the
	// nested plan is expanded with its own stages first, then replicated.
	tests := []struct {
		name      string
		depth     int
		wantLeafs int
	}{
		{"depth 1 leaves a nested workflow unchanged", 1, 1 + 2},
		{"depth 2 doubles the root's workers and the nested plan's workers", 2, 2*1 + 2*(2*2)},
		{"depth 3 quadruples at each level", 3, 4*1 + 4*(4*2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := loadDepth(t, nestedPlan, tt.depth)
			require.Equal(t, tt.wantLeafs, config.WorkerCalls(root))
			requireReplicated(t, root, root.Workers[0], "b", tt.depth-1)

			// Walk down the root's wrappers to one copy of the nested plan.
			n := root.Workers[1]
			for range tt.depth - 1 {
				sw := n.(domain.SubWorkflowNode)
				require.Equal(t, root.Synthesizer, sw.Plan.Synthesizer, "root wrappers reuse the root's stages")
				n = sw.Plan.Workers[1]
			}
			inner := n.(domain.SubWorkflowNode).Plan
			require.Equal(t, "b", inner.Analyzer.Model, "the nested plan keeps its own analyzer")
			require.Equal(t, "c", inner.Synthesizer.Model)
			require.Nil(t, inner.Selector)
			require.Len(t, inner.Workers, 2)
			requireReplicated(t, inner, inner.Workers[0], "c", tt.depth-1)
			requireReplicated(t, inner, inner.Workers[1], "d", tt.depth-1)
		})
	}
}

func TestExpand_CopiesAreIndependent(t *testing.T) {
	t.Parallel()
	root := loadDepth(t, nestedPlan, 2)
	w := root.Workers[1].(domain.SubWorkflowNode).Plan
	first := w.Workers[0].(domain.SubWorkflowNode).Plan
	second := w.Workers[1].(domain.SubWorkflowNode).Plan
	require.NotSame(t, first, second)
	require.NotSame(t, first.Synthesizer, second.Synthesizer)
	require.Equal(t, leafModels(first), leafModels(second))
}

func TestExpand_RejectsHugeDepth(t *testing.T) {
	t.Parallel()
	content := baseModels + "\n[workflow-integration]\nnested_worker_depth = 12\njson = '''" + nestedPlan + "'''\n"
	_, err := loadString(t, content, noEnv)
	requireProblem(t, problemsOf(t, err), "`nested_worker_depth` = 12 would expand the workflow to more than")
}

func TestInheritance(t *testing.T) {
	t.Parallel()
	plan := `{"analyzer":{"ref":"a"},"workers":[
	  {"analyzer":{"ref":"a"},"workers":["b"]},
	  {"analyzer":{"ref":"a"},"workers":[{"analyzer":{"ref":"b"},"workers":["c"]}],"selector":{"ref":"c"}}
	],"synthesizer":{"ref":"d","temperature":0.3}}`
	s, err := loadString(t, tomlWith(plan, ""), noEnv)
	require.NoError(t, err)
	root := s.Workflow.Root

	plain := root.Workers[0].(domain.SubWorkflowNode).Plan
	require.NotNil(t, plain.Synthesizer, "a nested plan without selector/synthesizer inherits the parent's synthesizer")
	require.Equal(t, *root.Synthesizer, *plain.Synthesizer)
	require.NotSame(t, root.Synthesizer, plain.Synthesizer)

	selOnly := root.Workers[1].(domain.SubWorkflowNode).Plan
	require.Nil(t, selOnly.Synthesizer, "a selector-only plan does not get a synthesizer")
	require.Equal(t, "c", selOnly.Selector.Model)
	grandchild := selOnly.Workers[0].(domain.SubWorkflowNode).Plan
	require.NotNil(t, grandchild.Synthesizer, "its children still inherit the grandparent's synthesizer")
	require.Equal(t, "d", grandchild.Synthesizer.Model)
	require.Equal(t, "workflow:selector:c", root.Workers[1].Label())
}

func TestLoad_WorkflowTargets(t *testing.T) {
	t.Parallel()
	plan := `{"analyzer":{"name":"a","auto_temperature":true},"workers":[{"ref":"b","temperature":1},{"name":"c","auto_temperature":false},"d"],"synthesizer":{"ref":"d","temperature":0}}`
	s, err := loadString(t, tomlWith(plan, ""), noEnv)
	require.NoError(t, err)
	root := s.Workflow.Root
	require.Equal(t, domain.Target{Model: "a", AutoTemperature: domain.SomeBool(true)}, root.Analyzer)
	require.Equal(t, domain.ModelNode{Target: domain.Target{Model: "b", Temperature: domain.SomeFloat(1)}}, root.Workers[0])
	require.Equal(t, domain.ModelNode{Target: domain.Target{Model: "c", AutoTemperature: domain.SomeBool(false)}}, root.Workers[1])
	require.Equal(t, domain.ModelNode{Target: domain.Target{Model: "d"}}, root.Workers[2])
	require.Equal(t, domain.SomeFloat(0), root.Synthesizer.Temperature, "an explicit 0 is kept as set")
}
