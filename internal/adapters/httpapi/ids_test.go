package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestIDs_UniqueAcross1000ConcurrentRequests(t *testing.T) {
	s, gw := newTestServer(t)
	gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(result("x"), nil).Times(1000)
	ids := make([]string, 1000)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(`{"messages":[{"role":"user","content":"x"}]}`))
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			var out struct{ ID string }
			if json.Unmarshal(rec.Body.Bytes(), &out) == nil {
				ids[i] = out.ID
			}
		})
	}
	wg.Wait()
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		require.True(t, strings.HasPrefix(id, "chatcmpl-"), "id %q", id)
		require.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
}

func TestIDs_DifferAcrossServers(t *testing.T) {
	a, err := newIDGenerator()
	require.NoError(t, err)
	b, err := newIDGenerator()
	require.NoError(t, err)
	require.NotEqual(t, a.next("resp_"), b.next("resp_"), "a random prefix keeps restarts from reusing ids")
}

func TestClientDisconnectCancelsTheGatewayCall(t *testing.T) {
	s, gw := newTestServer(t)
	started := make(chan struct{})
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(ctx context.Context, _ domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error) {
			if err := emit(domain.StreamEvent{Delta: domain.Delta{Text: "a"}}); err != nil {
				return domain.ChatResult{}, err
			}
			close(started)
			<-ctx.Done() // returns only because the client went away
			return domain.ChatResult{}, ctx.Err()
		})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions",
		strings.NewReader(`{"stream":true,"messages":[{"role":"user","content":"x"}]}`)).WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Handler().ServeHTTP(rec, req)
	}()
	<-started
	cancel()
	<-done
	require.NotContains(t, rec.Body.String(), "[DONE]")
	require.NotContains(t, rec.Body.String(), `"error"`, "nobody is left to read an error")
}
