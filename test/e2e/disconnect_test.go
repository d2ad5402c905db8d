package e2e

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func waitFor(t *testing.T, s *fakeupstream.Server, what string, cond func(*fakeupstream.Server) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.NoError(t, s.WaitFor(ctx, cond), "waiting for %s (in flight %d, canceled %d)", what, s.InFlight(), s.Canceled())
}

func TestClientDisconnectCancelsUpstreamCalls(t *testing.T) {
	t.Run("during the workers of a non-stream workflow", func(t *testing.T) {
		never := make(chan struct{})
		s := startStack(t, stackOptions{fake: fakeupstream.Config{Hold: func(r fakeupstream.Request) <-chan struct{} {
			if r.Model == mWorkerOAI || r.Model == mWorkerOll {
				return never
			}
			return nil
		}}})
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/v1/chat/completions",
				strings.NewReader(`{"model":"chorus","messages":[{"role":"user","content":"going away"}]}`))
			resp, err := s.client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		waitFor(t, s.fake, "both workers in flight", func(f *fakeupstream.Server) bool { return f.InFlight() == 2 })
		cancel()
		require.Error(t, <-errc)
		waitFor(t, s.fake, "both worker calls canceled", func(f *fakeupstream.Server) bool {
			return f.Canceled() == 2 && f.InFlight() == 0
		})
		for _, r := range s.fake.Requests() {
			require.NotEqual(t, mSynth, r.Model, "no later stage runs for a client that left")
		}
	})

	t.Run("in the middle of a streamed answer", func(t *testing.T) {
		s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 50, ChunkSpacing: 100 * time.Millisecond}})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/api/chat",
			strings.NewReader(`{"model":"chorus","messages":[{"role":"user","content":"long story"}]}`))
		resp, err := s.client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"content":"`) && !strings.Contains(sc.Text(), `"content":""`) {
				break // the first token arrived: the synthesizer is streaming
			}
		}
		require.Equal(t, int64(1), s.fake.InFlight(), "the synthesizer stream is running")
		cancel()
		waitFor(t, s.fake, "the synthesizer stream canceled", func(f *fakeupstream.Server) bool {
			return f.Canceled() == 1 && f.InFlight() == 0
		})
	})
}
