package memory_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/state/memory"
)

func TestHealth_a_cooldown_lasts_its_time_then_ends(t *testing.T) {
	now := time.Unix(100, 0)
	h := memory.NewHealth(func() time.Time { return now })
	require.NoError(t, h.Cool(t.Context(), "m:a", 30*time.Second))

	left, err := h.Cooling(t.Context(), []string{"m:a", "m:b"})
	require.NoError(t, err)
	require.Equal(t, []time.Duration{30 * time.Second, 0}, left)

	now = now.Add(31 * time.Second)
	left, err = h.Cooling(t.Context(), []string{"m:a"})
	require.NoError(t, err)
	require.Equal(t, []time.Duration{0}, left, "the cooldown ended")
}
