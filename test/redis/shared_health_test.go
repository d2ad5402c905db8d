package redis_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// startBalanced runs one chorus process whose model "m" has two
// deployments, bad then good, of equal weight (so a replica's own first
// pick is bad), cooled after one failure for ten minutes, with health
// shared through redisAddr.
func startBalanced(t *testing.T, bin, redisAddr string, bad, good *fakeupstream.Server) *chorusproc.Server {
	t.Helper()
	return startWith(t, bin, fmt.Sprintf(`
[[model]]
name = "m"
  [[model.deployment]]
  api_base = %q
  [[model.deployment]]
  api_base = %q

[workflow-integration]
json = '''{"analyzer":{"ref":"m"},"workers":["m"],"synthesizer":{"ref":"m"}}'''

[health]
failure_threshold = 1
cooldown_secs = 600

[state]
redis_url = "redis://%s/0"
`, bad.OpenAIBase(), good.OpenAIBase(), redisAddr))
}

func TestTwoReplicasShareDeploymentCooldownsThroughRedis(t *testing.T) {
	redisAddr, stopRedis := startRedis(t)
	bad := fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(fakeupstream.Fault500)})
	t.Cleanup(bad.Close)
	good := fakeupstream.New(fakeupstream.Config{})
	t.Cleanup(good.Close)
	bin := chorusBinary(t)
	a, b := startBalanced(t, bin, redisAddr, bad, good), startBalanced(t, bin, redisAddr, bad, good)

	r := ask(t, a, "", "first on A")
	require.Equal(t, http.StatusOK, r.status, "A fails over to the good deployment: %s", r.body)
	require.EqualValues(t, 1, bad.Total(), "A's first pick was the bad deployment, which A cooled")

	for i := range 4 {
		r := ask(t, b, "", fmt.Sprintf("on B %d", i))
		require.Equal(t, http.StatusOK, r.status, r.body)
	}
	require.EqualValues(t, 1, bad.Total(), "B skips the deployment A cooled (its own first pick would be it)")
	require.EqualValues(t, 5, good.Total())

	// Without Redis, B goes by what it saw itself: it may try the bad
	// deployment, and still answers every request.
	stopRedis()
	for i := range 4 {
		r := ask(t, b, "", fmt.Sprintf("on B without redis %d", i))
		require.Equal(t, http.StatusOK, r.status, "request %d without Redis: %s", i, r.body)
	}
	require.LessOrEqual(t, bad.Total(), int64(2), "B cooled the bad deployment itself after its first failure")
}
