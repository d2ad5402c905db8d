package llm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/adapters/state/memory"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// replica builds one registry ("a replica") with model "m" over deps whose
// cooldowns go to store.
func replica(t *testing.T, store ports.HealthStore, policy domain.HealthPolicy, clock *fakeClock, deps ...domain.Deployment) ports.ChatModel {
	t.Helper()
	return balancedWith(t, llm.Options{Health: policy, Now: clock.Now, HealthStore: store}, deps...)
}

// badAndGood are two upstreams: one answering every call with a 500, one
// answering normally.
func badAndGood(t *testing.T) (bad, good *fakeupstream.Server) {
	t.Helper()
	bad = fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(fakeupstream.Fault500)})
	good = fakeupstream.New(fakeupstream.Config{})
	t.Cleanup(bad.Close)
	t.Cleanup(good.Close)
	return bad, good
}

func TestBalancer_a_cooldown_seen_by_one_replica_is_skipped_by_another(t *testing.T) {
	bad, good := badAndGood(t)
	clock := &fakeClock{now: time.Unix(0, 0)}
	store := memory.NewHealth(clock.Now)
	policy := domain.HealthPolicy{FailureThreshold: 1, Cooldown: 30 * time.Second}
	deps := []domain.Deployment{openaiDeployment(bad, 1), openaiDeployment(good, 1)}
	a, b := replica(t, store, policy, clock, deps...), replica(t, store, policy, clock, deps...)

	_, err := ask(t.Context(), a)
	require.NoError(t, err, "A fails over to the good deployment")
	require.EqualValues(t, 1, bad.Total(), "A's first pick was the bad deployment (equal weights start at the first)")

	for i := range 4 {
		_, err := ask(t.Context(), b)
		require.NoError(t, err, "call %d on B", i)
	}
	require.EqualValues(t, 1, bad.Total(), "B skips the deployment A cooled, though its own first pick would be it")

	clock.Advance(31 * time.Second)
	_, err = ask(t.Context(), b)
	require.NoError(t, err)
	require.EqualValues(t, 2, bad.Total(), "after the shared cooldown B tries it again")
}

// downStore is a shared health store that cannot be reached.
type downStore struct{ calls int }

var errDown = errors.New("store down")

func (d *downStore) Cool(context.Context, string, time.Duration) error { d.calls++; return errDown }
func (d *downStore) Cooling(context.Context, []string) ([]time.Duration, error) {
	d.calls++
	return nil, errDown
}

func TestBalancer_an_unreachable_health_store_leaves_the_local_cooldowns(t *testing.T) {
	bad, good := badAndGood(t)
	store := &downStore{}
	m := replica(t, store, domain.HealthPolicy{FailureThreshold: 1, Cooldown: time.Minute}, &fakeClock{now: time.Unix(0, 0)},
		openaiDeployment(bad, 1), openaiDeployment(good, 1))

	for i := range 6 {
		_, err := ask(t.Context(), m)
		require.NoError(t, err, "call %d: the store being down never fails a request", i)
	}
	require.EqualValues(t, 1, bad.Total(), "this replica's own cooldown still skips the bad deployment")
	require.Positive(t, store.calls, "the store was asked")
}
