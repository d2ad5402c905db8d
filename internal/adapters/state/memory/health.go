package memory

import (
	"context"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/internal/ports"
)

var _ ports.HealthStore = (*Health)(nil)

// Health keeps deployment cooldowns in this process. It outlives config
// reloads (the App holds it), so a reload does not forget a deployment that
// is cooling down.
type Health struct {
	now   func() time.Time
	mu    sync.Mutex
	until map[string]time.Time
}

// NewHealth returns an empty store on clock now (nil: time.Now).
func NewHealth(now func() time.Time) *Health {
	if now == nil {
		now = time.Now
	}
	return &Health{now: now, until: map[string]time.Time{}}
}

// Cool implements ports.HealthStore. Ended cooldowns are swept on the way,
// so the map holds only deployments cooling now.
func (h *Health) Cool(_ context.Context, key string, d time.Duration) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	for k, t := range h.until {
		if !t.After(now) {
			delete(h.until, k)
		}
	}
	h.until[key] = now.Add(d)
	return nil
}

// Cooling implements ports.HealthStore.
func (h *Health) Cooling(_ context.Context, keys []string) ([]time.Duration, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	out := make([]time.Duration, len(keys))
	for i, k := range keys {
		out[i] = max(h.until[k].Sub(now), 0)
	}
	return out, nil
}
