package bench

import (
	"os"
	"testing"
)

// loadTest skips a test whose verdict is a wall-clock rate or window (it
// measures the machine when the machine is busy) unless CHORUS_LOAD_TESTS
// is set, as make test-e2e does; make test stays deterministic.
func loadTest(t *testing.T) {
	t.Helper()
	if os.Getenv("CHORUS_LOAD_TESTS") == "" {
		t.Skip("wall-clock load test: set CHORUS_LOAD_TESTS=1 (make test-e2e)")
	}
}
