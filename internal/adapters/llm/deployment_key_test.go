package llm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestDeploymentKey_names_a_deployment_alike_on_every_replica_without_its_secrets(t *testing.T) {
	d := domain.Deployment{Provider: domain.ProviderOpenAI, APIBase: "https://a.example/v1", APIKey: domain.NewSecret("sk-secret-a")}
	k := deploymentKey("gpt", d)
	require.Equal(t, k, deploymentKey("gpt", d), "same configuration, same key")
	require.NotContains(t, k, "sk-secret-a")
	require.NotContains(t, k, "a.example")

	other := d
	other.APIKey = domain.NewSecret("sk-secret-b")
	require.NotEqual(t, k, deploymentKey("gpt", other), "one host with two keys is two deployments")
	require.NotEqual(t, k, deploymentKey("gpt-backup", d), "the same endpoint under another model cools apart")
	other = d
	other.Weight = 7
	require.Equal(t, k, deploymentKey("gpt", other), "a weight change is the same deployment")
}
