package llm

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// health is the passive health of one model's deployments: consecutive
// failures put a deployment in cooldown, a success clears its count.
type health struct {
	policy domain.HealthPolicy
	mu     sync.Mutex
	fails  []int
	until  []time.Time // cooldown end; zero when healthy
}

func newHealth(n int, policy domain.HealthPolicy) *health {
	if policy.FailureThreshold < 1 {
		policy.FailureThreshold = domain.DefaultHealthPolicy.FailureThreshold
	}
	if policy.Cooldown <= 0 {
		policy.Cooldown = domain.DefaultHealthPolicy.Cooldown
	}
	return &health{policy: policy, fails: make([]int, n), until: make([]time.Time, n)}
}

// coolingUntil returns when deployment i leaves cooldown (zero or past when
// it is healthy at now).
func (h *health) coolingUntil(i int) time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.until[i]
}

// record notes the outcome of one attempt on deployment i and returns the
// cooldown it started (0 when none). A Retry-After from the upstream cools
// the deployment at once for that long; reaching the failure threshold
// cools it for the longer of the policy's cooldown and the Retry-After.
func (h *health) record(i int, err error, now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.fails[i] = 0
		return 0
	}
	if !countsAgainstHealth(err) {
		return 0
	}
	h.fails[i]++
	wait := retryAfter(err)
	if h.fails[i] >= h.policy.FailureThreshold {
		wait = max(wait, h.policy.Cooldown)
		h.fails[i] = 0
	}
	if wait > 0 {
		h.until[i] = now.Add(wait)
	}
	return wait
}

// countsAgainstHealth is true for failures that say the deployment, not the
// request, is at fault: connection errors, timeouts, 5xx, 429, and 401/403
// (that deployment's key was refused).
func countsAgainstHealth(err error) bool {
	var le *domain.LLMError
	if !errors.As(err, &le) {
		return false
	}
	switch le.Kind {
	case domain.LLMConnection, domain.LLMTimeout:
		return true
	case domain.LLMStatus:
		return le.Status >= http.StatusInternalServerError || le.Status == http.StatusTooManyRequests ||
			le.Status == http.StatusUnauthorized || le.Status == http.StatusForbidden
	}
	return false
}

func retryAfter(err error) time.Duration {
	var le *domain.LLMError
	if errors.As(err, &le) {
		return le.RetryAfter
	}
	return 0
}
