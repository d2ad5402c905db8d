package llm_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func TestConformance_a_429_with_Retry_After_is_retried_then_succeeds(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter func() string
	}{
		{name: "in seconds", retryAfter: func() string { return "1" }},
		{name: "as an HTTP date, read like the seconds form", retryAfter: func() string {
			return time.Now().Add(time.Second).UTC().Format(http.TimeFormat)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachProvider(t, func(t *testing.T, p provider) {
				var calls atomic.Int32
				srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
					if calls.Add(1) == 1 {
						w.Header().Set("Retry-After", tt.retryAfter())
						p.dialect.WriteError(w, http.StatusTooManyRequests, "slow down")
						return
					}
					p.dialect.WriteJSON(w, fakeupstream.Answer{Text: "ok"})
				})
				m, name := newModel(t, p, srv, llm.Options{})
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()

				comp, err := m.Complete(ctx, userCall(name, "hi"))

				require.NoError(t, err)
				require.Equal(t, "ok", comp.Text)
				require.Equal(t, 2, comp.Attempts)
				require.Len(t, srv.Requests(), 2)
			})
		})
	}
}

func TestConformance_a_connection_dropped_after_the_request_was_sent_is_not_retried(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(http.ErrAbortHandler)
			}
			_ = conn.Close() // the request arrived; the upstream dies before answering
		})
		m, name := newModel(t, p, srv, llm.Options{MaxRetries: 3})

		_, errComplete := m.Complete(t.Context(), userCall(name, "hi"))
		_, errStream := m.Stream(t.Context(), userCall(name, "hi"), (&fakeupstream.Deltas{}).Emit)

		for _, err := range []error{errComplete, errStream} {
			lerr := requireLLMError(t, err, domain.LLMConnection, name)
			require.Equal(t, 1, lerr.Attempts, "a POST whose bytes were sent is never repeated")
		}
		require.Len(t, srv.Requests(), 2, "one request per call reached the upstream")
	})
}

func TestRegistry_models_on_one_host_share_one_transport(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			p.dialect.WriteJSON(w, fakeupstream.Answer{Text: "x"})
		})
		var specs []domain.ModelSpec
		for _, suffix := range []string{"-a", "-b", "-c", "-d"} {
			spec := p.spec(srv.URL())
			spec.Name += suffix
			specs = append(specs, spec)
		}
		reg, err := llm.NewRegistry(specs, llm.Options{})
		require.NoError(t, err)
		t.Cleanup(reg.CloseIdleConnections)

		for i := range 40 {
			spec := specs[i%len(specs)]
			m, err := reg.Resolve(spec.Name)
			require.NoError(t, err)
			comp, err := m.Complete(t.Context(), userCall(spec.Name, "hi"))
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(comp.Text, "x"))
		}

		require.Len(t, srv.Requests(), 40)
		require.Less(t, srv.NewConns(), len(specs), "a transport per model would open one connection per model")
	})
}
