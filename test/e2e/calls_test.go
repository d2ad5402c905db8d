package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// TestUpstreamCallsMatchWhatValidatePrints holds `chorus validate`'s count
// (config.UpstreamCalls) to what one request really costs, nested plans
// included: the fake upstream counts every call.
func TestUpstreamCallsMatchWhatValidatePrints(t *testing.T) {
	tests := []struct {
		depth      int
		wantTotal  int // analyzer + workers + selector + synthesizer of every plan
		wantWorker int
	}{
		{depth: 1, wantTotal: 5, wantWorker: 2},
		// The root's two workers become two sub-plans of 5 calls each; a
		// plan whose workers are all sub-plans asks no analyzer (no model
		// worker of its own needs a temperature).
		{depth: 2, wantTotal: 2*5 + 2, wantWorker: 4},
		{depth: 3, wantTotal: 2*(2*5+2) + 2, wantWorker: 8},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("depth %d", tt.depth), func(t *testing.T) {
			s := startStack(t, stackOptions{nestedDepth: tt.depth})
			calls := config.UpstreamCalls(s.settings.Workflow)
			require.Equal(t, tt.wantTotal, calls.Total)
			require.Equal(t, tt.wantWorker, calls.Workers)
			require.Equal(t, tt.depth, calls.Depth)
			require.Equal(t, 1<<tt.depth-1, calls.Plans)

			r := s.call(t, http.MethodPost, "/v1/chat/completions",
				`{"model":"chorus","messages":[{"role":"user","content":"count the calls"}]}`, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			require.Equal(t, int64(calls.Total), s.fake.Total(), "upstream calls of one request")
		})
	}
}
