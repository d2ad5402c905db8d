package llm_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/fakeupstream"
)

// A workflow holds several calls per request at once; at 50 concurrent
// three-worker workflows that is 150 calls to one host. A second burst of
// as many calls must find every connection of the first one still open.
func TestConformance_connections_of_a_wide_burst_of_calls_are_all_kept_for_the_next(t *testing.T) {
	const wide = 150
	forEachProvider(t, func(t *testing.T, p provider) {
		var mu sync.Mutex
		arrived, release := 0, make(chan struct{})
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			arrived++
			if arrived%wide == 0 {
				close(release) // every call of this burst is in flight
				release = make(chan struct{})
			}
			wait := release
			if arrived%wide == 0 {
				wait = nil
			}
			mu.Unlock()
			if wait != nil {
				select {
				case <-wait:
				case <-r.Context().Done():
					return
				}
			}
			p.dialect.WriteJSON(w, fakeupstream.Reply{Text: "x"})
		})
		m, name := newModel(t, p, srv, llm.Options{})

		for burst := range 2 {
			var wg sync.WaitGroup
			errs := make([]error, wide)
			for i := range wide {
				wg.Go(func() { _, errs[i] = m.Complete(t.Context(), userCall(name, "hi")) })
			}
			wg.Wait()
			for _, err := range errs {
				require.NoError(t, err, "burst %d", burst+1)
			}
		}

		require.Equal(t, wide, srv.NewConns(), "the second burst reused every connection of the first")
	})
}
