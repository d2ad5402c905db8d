package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

func TestUpstreamCalls_Routing(t *testing.T) {
	t.Parallel()
	// flatPlan: analyzer a (no auto temperature anywhere, so it is skipped
	// without routing), workers b and c, synthesizer d.
	plain, err := loadString(t, tomlWith(flatPlan, ""), noEnv)
	require.NoError(t, err)
	require.Equal(t, config.CallCount{Total: 3, Workers: 2, Plans: 1, Depth: 1}, config.UpstreamCalls(plain.Workflow))

	routed, err := loadString(t, tomlWith(flatPlan, "\n[workflow]\nroute_easy_to = \"a\"\n"), noEnv)
	require.NoError(t, err)
	require.Equal(t, config.CallCount{Total: 4, Workers: 2, Plans: 1, Depth: 1, Routed: 2}, config.UpstreamCalls(routed.Workflow),
		"routing always asks the root analyzer; an easy request costs the analyzer and the routed model")
}
