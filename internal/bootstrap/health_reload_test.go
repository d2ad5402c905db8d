package bootstrap_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// pairSettings adds to settingsFor a model "pair" with two deployments of
// equal weight, bad first (so a fresh balancer's first pick is bad),
// cooled after one failure for an hour.
func pairSettings(good, bad *fakeupstream.Server) *config.Settings {
	s := settingsFor(good, "w", "pair")
	deps := []domain.Deployment{
		{Provider: domain.ProviderOpenAI, APIBase: bad.OpenAIBase(), Weight: 1},
		{Provider: domain.ProviderOpenAI, APIBase: good.OpenAIBase(), Weight: 1},
	}
	for i := range s.Models {
		if s.Models[i].Name == "pair" {
			s.Models[i].Deployments = deps
			s.Workflow.Models["pair"] = s.Models[i]
		}
	}
	s.Health = domain.HealthPolicy{FailureThreshold: 1, Cooldown: time.Hour}
	return s
}

func TestAReloadKeepsTheDeploymentsCooldowns(t *testing.T) {
	good := fakeupstream.New(fakeupstream.Config{})
	defer good.Close()
	bad := fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(fakeupstream.Fault500)})
	defer bad.Close()
	app, err := bootstrap.Build(t.Context(), pairSettings(good, bad), testDeps())
	require.NoError(t, err)
	app.SetReady(true)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	ask := func() {
		t.Helper()
		st, body, err := do(t.Context(), t, http.MethodPost, srv.URL+"/v1/chat/completions", chatBody("pair", false))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, st, string(body))
	}

	ask()
	require.EqualValues(t, 1, bad.Total(), "the first pick was the bad deployment, now cooling")
	require.NoError(t, app.Reload(pairSettings(good, bad)))
	for range 3 {
		ask()
	}
	require.EqualValues(t, 1, bad.Total(), "the reloaded configuration still skips the cooling deployment")
}
