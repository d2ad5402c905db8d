package llm_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// fakeClock is a settable clock for cooldowns.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// balanced builds a registry with one model "m" over the given deployments.
func balanced(t *testing.T, policy domain.HealthPolicy, clock *fakeClock, observe func(string, domain.DeploymentAttempt), deps ...domain.Deployment) ports.ChatModel {
	t.Helper()
	return balancedWith(t, llm.Options{Health: policy, Now: clock.Now, ObserveAttempt: observe}, deps...)
}

// balancedWith builds a registry with one model "m" over deps with opts.
func balancedWith(t *testing.T, opts llm.Options, deps ...domain.Deployment) ports.ChatModel {
	t.Helper()
	reg, err := llm.NewRegistry([]domain.ModelSpec{{Name: "m", Provider: domain.ProviderOpenAI, APIBase: deps[0].APIBase, Deployments: deps}}, opts)
	require.NoError(t, err)
	t.Cleanup(reg.CloseIdleConnections)
	m, err := reg.Resolve("m")
	require.NoError(t, err)
	return m
}

func openaiDeployment(f *fakeupstream.Server, weight int) domain.Deployment {
	return domain.Deployment{Provider: domain.ProviderOpenAI, APIBase: f.OpenAIBase(), Weight: weight}
}

func ask(ctx context.Context, m ports.ChatModel) (domain.Completion, error) {
	return m.Complete(ctx, domain.ModelCall{Model: "m", Messages: []domain.Message{{Role: domain.RoleUser, Content: "hi"}}})
}

func TestBalancer_weights_hold_over_1000_calls(t *testing.T) {
	heavy, light := fakeupstream.New(fakeupstream.Config{}), fakeupstream.New(fakeupstream.Config{})
	defer heavy.Close()
	defer light.Close()
	m := balanced(t, domain.DefaultHealthPolicy, &fakeClock{now: time.Unix(0, 0)}, nil, openaiDeployment(heavy, 3), openaiDeployment(light, 1))

	for range 1000 {
		_, err := ask(t.Context(), m)
		require.NoError(t, err)
	}
	require.InDelta(t, 750, heavy.Total(), 75, "weight 3 of 4 gets 75%% ± 10%%")
	require.InDelta(t, 250, light.Total(), 25, "weight 1 of 4 gets 25%% ± 10%%")
}

func TestBalancer_failing_deployment_cools_down_without_client_errors(t *testing.T) {
	bad, good := badAndGood(t)
	clock := &fakeClock{now: time.Unix(0, 0)}
	var mu sync.Mutex
	outcomes := map[string]int{}
	observe := func(_ string, a domain.DeploymentAttempt) { mu.Lock(); outcomes[a.Outcome]++; mu.Unlock() }
	m := balanced(t, domain.HealthPolicy{FailureThreshold: 2, Cooldown: 30 * time.Second}, clock, observe,
		openaiDeployment(bad, 1), openaiDeployment(good, 1))

	for i := range 50 {
		comp, err := ask(t.Context(), m)
		require.NoError(t, err, "call %d", i)
		require.NotEmpty(t, comp.Text)
	}
	require.EqualValues(t, 2, bad.Total(), "the failing deployment is tried until the threshold, then skipped")
	require.EqualValues(t, 50, good.Total())
	require.Equal(t, 2, outcomes["status_5xx"])

	clock.Advance(31 * time.Second)
	var retried domain.Completion
	for range 2 { // equal weights alternate: one of two calls goes to the bad deployment
		comp, err := ask(t.Context(), m)
		require.NoError(t, err)
		if len(comp.Deployments) == 2 {
			retried = comp
		}
	}
	require.EqualValues(t, 3, bad.Total(), "after the cooldown the deployment gets traffic again")
	require.Len(t, retried.Deployments, 2, "the completion records each attempt")
	require.Equal(t, "status_5xx", retried.Deployments[0].Outcome)
	require.Equal(t, domain.AttemptOK, retried.Deployments[1].Outcome)
	require.Equal(t, 1, retried.Deployments[1].Deployment)
}

func TestBalancer_honours_retry_after(t *testing.T) {
	limited := fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(fakeupstream.Fault429), RetryAfterSecs: 5})
	good := fakeupstream.New(fakeupstream.Config{})
	defer limited.Close()
	defer good.Close()
	clock := &fakeClock{now: time.Unix(0, 0)}
	m := balanced(t, domain.HealthPolicy{FailureThreshold: 100, Cooldown: time.Hour}, clock, nil,
		openaiDeployment(limited, 10), openaiDeployment(good, 1))

	_, err := ask(t.Context(), m)
	require.NoError(t, err, "the 429 moves the call to the other deployment")
	require.EqualValues(t, 1, limited.Total())

	clock.Advance(4 * time.Second)
	for range 5 {
		_, err := ask(t.Context(), m)
		require.NoError(t, err)
	}
	require.EqualValues(t, 1, limited.Total(), "no call within Retry-After")

	clock.Advance(2 * time.Second)
	_, err = ask(t.Context(), m)
	require.NoError(t, err)
	require.EqualValues(t, 2, limited.Total(), "the deployment is tried again once Retry-After passed")
}

func TestBalancer_reports_every_attempt_when_all_deployments_fail(t *testing.T) {
	dead := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		return "http://" + addr + "/v1"
	}
	m := balanced(t, domain.DefaultHealthPolicy, &fakeClock{now: time.Unix(0, 0)}, nil,
		domain.Deployment{Provider: domain.ProviderOpenAI, APIBase: dead(), Weight: 1},
		domain.Deployment{Provider: domain.ProviderOpenAI, APIBase: dead(), Weight: 1})

	_, err := ask(t.Context(), m)
	var le *domain.LLMError
	require.ErrorAs(t, err, &le)
	require.Equal(t, domain.LLMConnection, le.Kind)
	require.Len(t, le.Deployments, 2)
	for _, a := range le.Deployments {
		require.Equal(t, "connection", a.Outcome)
		require.Contains(t, a.Host, "127.0.0.1")
	}
}

func TestBalancer_fails_over_a_rejected_key(t *testing.T) {
	rejected := fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(fakeupstream.Fault401)})
	good := fakeupstream.New(fakeupstream.Config{})
	defer rejected.Close()
	defer good.Close()
	m := balanced(t, domain.DefaultHealthPolicy, &fakeClock{now: time.Unix(0, 0)}, nil, openaiDeployment(rejected, 5), openaiDeployment(good, 1))
	_, err := ask(t.Context(), m)
	require.NoError(t, err, "a key one deployment rejects moves the call to another deployment")
	require.EqualValues(t, 1, rejected.Total())

}
