package gcra_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/state/internal/gcra"
)

func TestTakeAllowsTheBudgetThenRefusesWithTheWait(t *testing.T) {
	const now = int64(1_000_000_000)
	tat := int64(0)
	for i := range 3 {
		var ok bool
		tat, ok, _ = gcra.Take(tat, now, 3, 1)
		require.True(t, ok, "unit %d of 3", i+1)
	}
	_, ok, wait := gcra.Take(tat, now, 3, 1)
	require.False(t, ok)
	require.Equal(t, int64(20_000_000), wait, "one unit of 3/min refills in 20 s")

	_, ok, _ = gcra.Take(tat, now+20_000_000, 3, 1)
	require.True(t, ok, "allowed once the unit refilled")
}

func TestCheckSpendsNothingAndChargeEmptiesTheBudget(t *testing.T) {
	const now = int64(5_000_000)
	tat, ok, _ := gcra.Take(0, now, 100, 0)
	require.True(t, ok)
	require.Equal(t, now, tat, "n = 0 spends nothing")

	tat = gcra.Charge(tat, now, 100, 250)
	_, ok, wait := gcra.Take(tat, now, 100, 0)
	require.False(t, ok, "a charge above the budget empties it")
	require.Equal(t, int64(600_000), wait, "one token of 100/min refills in 0.6 s")
}
