package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestLoad_RoutingAndPrices(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, tomlWith(flatPlan, `
[[model]]
name = "cheap"
provider = "echo"
price_input_per_mtok = 0.15
price_output_per_mtok = 0.6

[workflow]
route_easy_to = "cheap"
route_easy_threshold = "normal"
`), noEnv)
	require.NoError(t, err)
	require.Equal(t, domain.Routing{EasyTo: "cheap", Threshold: domain.DifficultyNormal}, s.Workflow.Routing)
	cheap := s.Workflow.Models["cheap"]
	require.Equal(t, domain.SomeFloat(0.15), cheap.PriceInputPerMTok)
	require.Equal(t, domain.SomeFloat(0.6), cheap.PriceOutputPerMTok)
	require.False(t, s.Workflow.Models["a"].PriceInputPerMTok.Set)
}

func TestLoad_RoutingIsOffByDefault(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, tomlWith(flatPlan, ""), noEnv)
	require.NoError(t, err)
	require.False(t, s.Workflow.Routing.Enabled())
}

func TestLoad_RoutingAndPriceProblems(t *testing.T) {
	t.Parallel()
	_, err := loadString(t, tomlWith(flatPlan, `
[[model]]
name = "neg"
provider = "echo"
price_output_per_mtok = -1

[workflow]
route_easy_to = "nobody"
route_easy_threshold = "hard"
`), noEnv)
	problems := problemsOf(t, err)
	requireProblem(t, problems, `route_easy_to names "nobody"`, "not a defined [[model]]")
	requireProblem(t, problems, `route_easy_threshold "hard" is unknown`)
	requireProblem(t, problems, `"neg"`, "negative price_output_per_mtok")
}
