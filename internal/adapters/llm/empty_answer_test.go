package llm_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// An upstream that answers nothing and says it stopped normally gave a
// real (empty) answer; a passthrough must relay it, not turn it into a 502.
func TestConformance_an_empty_answer_that_says_stop_is_an_answer(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[stream], func(t *testing.T) {
			forEachProvider(t, func(t *testing.T, p provider) {
				srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
					if !stream {
						p.dialect.WriteJSON(w, fakeupstream.Answer{Finish: "stop"})
						return
					}
					p.dialect.StartStream(w)
					p.dialect.WriteEnd(w, fakeupstream.Answer{Finish: "stop"})
				})
				m, name := newModel(t, p, srv, llm.Options{})
				var (
					comp domain.Completion
					err  error
				)
				if stream {
					var got fakeupstream.Deltas
					comp, err = m.Stream(t.Context(), userCall(name, "say nothing"), got.Emit)
				} else {
					comp, err = m.Complete(t.Context(), userCall(name, "say nothing"))
				}
				require.NoError(t, err)
				require.Empty(t, comp.Text)
				require.Equal(t, domain.FinishStop, comp.FinishReason)
			})
		})
	}
}
