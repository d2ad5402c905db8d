package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

func TestModelsListsTheWorkflowFirstThenConfigOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	got := f.service().Models()
	require.Equal(t, domain.ModelInfo{Name: "chorus", IsWorkflow: true, Tools: true, Vision: true}, got[0],
		"OpenAI workers take tools and images")
	names := make([]string, 0, len(got)-1)
	for _, m := range got[1:] {
		require.False(t, m.IsWorkflow)
		require.Equal(t, domain.ProviderOpenAI, m.Provider)
		names = append(names, m.Name)
	}
	require.Equal(t, f.wf.ModelOrder, names)
}

func TestNewServiceRejectsBadDependencies(t *testing.T) {
	t.Parallel()
	ctrl := gomock.NewController(t)
	res := mocks.NewMockModelResolver(ctrl)
	root := stdPlan(modelNode(alpha))
	tests := []struct {
		name string
		deps app.Deps
	}{
		{"no resolver", app.Deps{Workflow: domain.Workflow{Root: root}}},
		{"no plan", app.Deps{Models: res}},
		{"a template that does not parse", app.Deps{Models: res, Workflow: domain.Workflow{Root: root, Prompts: domain.Prompts{Selector: "{{range .Candidates}"}}}},
		{"a template with an unknown field", app.Deps{Models: res, Workflow: domain.Workflow{Root: root, Prompts: domain.Prompts{Analyzer: "{{.Nope}}"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := app.NewService(tc.deps)
			require.Error(t, err)
		})
	}
}

func TestPromptOverridesAreUsed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.wf.Prompts.Selector = `PICK ONE{{range .Candidates}} [{{.Label}}: {{.Text}}]{{end}}`
	f.wf.Mode = domain.ModeSelect
	standardWorkers(f)
	var sel recorder
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(sel.wrap(reply("Response C")))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	require.Equal(t, "PICK ONE [Response A: alpha says] [Response B: beta says] [Response C: gamma says]", sel.prompt(t))
	require.Equal(t, "gamma says", res.Text)
}

func TestAnEmptyModelNameRunsTheWorkflowUnderItsName(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.wf.Name = "ensemble"
	f.wf.Mode = domain.ModeSelect
	standardWorkers(f)
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))
	req := chatReq("q")
	req.Model = ""
	res, err := f.service().Complete(t.Context(), req)
	require.NoError(t, err)
	require.Equal(t, "ensemble", res.Model)
	require.NotNil(t, res.Trace)
}
