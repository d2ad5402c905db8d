package llm

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// member is one deployment of a balanced model.
type member struct {
	client ports.ChatModel
	host   string // scheme://host:port, never the key
	// key names the deployment in the shared health store: the same on
	// every replica with the same configuration, and no secret in it.
	key     string
	weight  int
	timeout time.Duration // per attempt; 0 = the stage deadline only
}

// balancer is a model with several deployments: each call goes to a
// healthy deployment picked by smooth weighted round-robin (exact shares,
// no randomness), and a failure the deployment is to blame for moves the
// call to the next one, as long as nothing was streamed to the client yet.
// Deployments in cooldown are tried only when every other one failed.
// Cooldowns are also shared through the health store (Redis: across
// replicas), so a deployment another replica saw fail is skipped here too.
type balancer struct {
	model   string
	members []member
	health  *health
	shared  ports.HealthStore // nil: this process's view only
	keys    []string          // members' keys in the shared store
	now     func() time.Time
	observe func(model string, a domain.DeploymentAttempt)

	mu      sync.Mutex
	current []int // smooth weighted round-robin state
}

var _ ports.ChatModel = (*balancer)(nil)

func newBalancer(model string, members []member, opts Options) *balancer {
	b := &balancer{
		model: model, members: members, health: newHealth(len(members), opts.Health), shared: opts.HealthStore,
		now: opts.Now, observe: opts.ObserveAttempt, current: make([]int, len(members)),
	}
	for _, m := range members {
		b.keys = append(b.keys, m.key)
	}
	if b.now == nil {
		b.now = time.Now
	}
	return b
}

// Complete implements ports.ChatModel.
func (b *balancer) Complete(ctx context.Context, call domain.ModelCall) (domain.Completion, error) {
	return b.do(ctx, call, nil)
}

// Stream implements ports.ChatModel.
func (b *balancer) Stream(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	return b.do(ctx, call, emit)
}

func (b *balancer) do(ctx context.Context, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
	var tries []domain.DeploymentAttempt
	var lastErr error
	attempts := 0
	for _, i := range b.order(ctx) {
		start := b.now()
		comp, err, emitted := b.attempt(ctx, i, call, emit)
		attempts += max(comp.Attempts, attemptsOf(err), 1)
		tries = append(tries, b.note(ctx, i, err, start))
		if err == nil {
			comp.Attempts, comp.Deployments = attempts, tries
			return comp, nil
		}
		lastErr = err
		if emitted || ctx.Err() != nil || !failsOver(err) {
			break
		}
	}
	var le *domain.LLMError
	if errors.As(lastErr, &le) {
		cp := *le
		cp.Attempts, cp.Deployments = attempts, tries
		return domain.Completion{Attempts: attempts}, &cp
	}
	return domain.Completion{Attempts: attempts}, lastErr
}

// attempt runs the call on deployment i under its own timeout and reports
// whether any delta reached the caller.
func (b *balancer) attempt(ctx context.Context, i int, call domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error, bool) {
	m := b.members[i]
	if m.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, m.timeout)
		defer cancel()
	}
	if emit == nil {
		comp, err := m.client.Complete(ctx, call)
		return comp, err, false
	}
	emitted := false
	comp, err := m.client.Stream(ctx, call, func(d domain.Delta) error {
		emitted = true
		return emit(d)
	})
	return comp, err, emitted
}

// note records an attempt's outcome in the health state (and a cooldown
// it started in the shared store) and the metrics.
func (b *balancer) note(ctx context.Context, i int, err error, start time.Time) domain.DeploymentAttempt {
	now := b.now()
	a := domain.DeploymentAttempt{Deployment: i, Host: b.members[i].host, Outcome: domain.AttemptOK, Latency: now.Sub(start)}
	if err != nil {
		a.Outcome = outcomeOf(err)
	}
	if wait := b.health.record(i, err, now); wait > 0 && b.shared != nil {
		// The failure happened whether or not this request is still
		// wanted; an unreachable store is logged by the store and leaves
		// the cooldown local.
		_ = b.shared.Cool(context.WithoutCancel(ctx), b.members[i].key, wait)
	}
	if b.observe != nil {
		b.observe(b.model, a)
	}
	return a
}

// order returns the deployments to try: the weighted pick among healthy
// ones, the other healthy ones by weight, then those in cooldown by the
// time they leave it.
func (b *balancer) order(ctx context.Context) []int {
	now := b.now()
	until := b.coolingUntil(ctx, now)
	healthy := make([]int, 0, len(b.members))
	var cooling []int
	for i := range b.members {
		if until[i].After(now) {
			cooling = append(cooling, i)
		} else {
			healthy = append(healthy, i)
		}
	}
	out := make([]int, 0, len(b.members))
	if len(healthy) > 0 {
		first := b.pick(healthy)
		out = append(out, first)
		rest := slices.DeleteFunc(slices.Clone(healthy), func(i int) bool { return i == first })
		slices.SortStableFunc(rest, func(x, y int) int { return b.members[y].weight - b.members[x].weight })
		out = append(out, rest...)
	}
	slices.SortStableFunc(cooling, func(x, y int) int { return until[x].Compare(until[y]) })
	return append(out, cooling...)
}

// coolingUntil returns when each deployment leaves cooldown: the later of
// this process's view and the shared store's. A store that cannot answer
// leaves this process's view.
func (b *balancer) coolingUntil(ctx context.Context, now time.Time) []time.Time {
	until := make([]time.Time, len(b.members))
	for i := range until {
		until[i] = b.health.coolingUntil(i)
	}
	if b.shared == nil {
		return until
	}
	left, err := b.shared.Cooling(ctx, b.keys)
	if err != nil || len(left) != len(until) {
		return until
	}
	for i, d := range left {
		if d > 0 && now.Add(d).After(until[i]) {
			until[i] = now.Add(d)
		}
	}
	return until
}

// pick is one step of smooth weighted round-robin over the candidates.
func (b *balancer) pick(candidates []int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	total, best := 0, -1
	for _, i := range candidates {
		b.current[i] += b.members[i].weight
		total += b.members[i].weight
		if best < 0 || b.current[i] > b.current[best] {
			best = i
		}
	}
	b.current[best] -= total
	return best
}

// failsOver is true when another deployment may succeed where this one
// failed: the deployment's fault, not the request's.
func failsOver(err error) bool { return countsAgainstHealth(err) }

// outcomeOf names an attempt's failure for traces and metrics.
func outcomeOf(err error) string {
	var le *domain.LLMError
	if !errors.As(err, &le) {
		return "error"
	}
	if le.Kind == domain.LLMStatus {
		if le.Status == http.StatusTooManyRequests {
			return "rate_limited"
		}
		if le.Status >= http.StatusInternalServerError {
			return "status_5xx"
		}
		return "status_4xx"
	}
	return string(le.Kind)
}

func attemptsOf(err error) int {
	var le *domain.LLMError
	if errors.As(err, &le) {
		return le.Attempts
	}
	return 0
}
