package llm_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
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
			p.dialect.WriteJSON(w, fakeupstream.Answer{Text: "x"})
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

// Response bodies are read into recycled buffers: an answer must stay
// intact after later calls reuse the buffer it was decoded from.
func TestConformance_an_answer_is_unchanged_by_later_calls(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		var n atomic.Int64
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, _ *http.Request) {
			i := n.Add(1)
			p.dialect.WriteJSON(w, fakeupstream.Answer{
				Text: fmt.Sprintf("answer %d: %s", i, strings.Repeat(string(rune('a'+i%26)), 64)), Reasoning: fmt.Sprintf("why %d", i),
			})
		})
		m, name := newModel(t, p, srv, llm.Options{})

		var got []domain.Completion
		for range 20 {
			c, err := m.Complete(t.Context(), userCall(name, "hi"))
			require.NoError(t, err)
			got = append(got, c)
		}

		for i, c := range got {
			n := i + 1
			require.Equal(t, fmt.Sprintf("answer %d: %s", n, strings.Repeat(string(rune('a'+n%26)), 64)), c.Text)
			require.Equal(t, fmt.Sprintf("why %d", n), c.Reasoning)
		}
	})
}
