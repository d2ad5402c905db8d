package app_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/app"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

// mapStore is a CacheStore in a map; down makes every call fail.
type mapStore struct {
	mu   sync.Mutex
	m    map[string][]byte
	down bool
}

func (s *mapStore) Get(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return nil, false, errors.New("store down")
	}
	v, ok := s.m[key]
	return v, ok, nil
}

func (s *mapStore) Set(_ context.Context, key string, v []byte, _ time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errors.New("store down")
	}
	s.m[key] = v
	return nil
}

func cached(t *testing.T) (*app.CachedGateway, *mocks.MockGateway, *mapStore, map[string]int) {
	t.Helper()
	next := mocks.NewMockGateway(gomock.NewController(t))
	store := &mapStore{m: map[string][]byte{}}
	outcomes := map[string]int{}
	return app.NewCachedGateway(next, app.CacheOptions{Store: store, TTL: time.Minute, Observe: func(o string) { outcomes[o]++ }}), next, store, outcomes
}

func cacheReq(text string) domain.ChatRequest {
	return domain.ChatRequest{Model: alpha, Messages: []domain.Message{{Role: domain.RoleUser, Content: text}}}
}

func TestCacheServesAStreamedHitAsOneDelta(t *testing.T) {
	t.Parallel()
	g, next, _, outcomes := cached(t)
	answer := domain.ChatResult{Model: alpha, Text: "cached answer", Reasoning: "why", FinishReason: domain.FinishStop, Usage: testUsage}
	next.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(answer, nil).Times(1)

	var hits []bool
	req := cacheReq("q")
	req.OnCache = func(hit bool) { hits = append(hits, hit) }
	_, err := g.Complete(t.Context(), req)
	require.NoError(t, err)

	req.Stream = true
	var events []domain.StreamEvent
	res, err := g.Stream(t.Context(), req, func(ev domain.StreamEvent) error { events = append(events, ev); return nil })
	require.NoError(t, err)
	require.Equal(t, answer.Text, res.Text)
	require.Equal(t, []domain.StreamEvent{{Delta: domain.Delta{Text: "cached answer", Reasoning: "why", FinishReason: domain.FinishStop}}}, events)
	require.Equal(t, []bool{false, true}, hits, "OnCache says miss, then hit")
	require.Equal(t, map[string]int{app.CacheMiss: 1, app.CacheHit: 1}, outcomes)
}

func TestCacheNeverStoresErrorsOrDegradedAnswers(t *testing.T) {
	t.Parallel()
	g, next, store, _ := cached(t)
	degraded := &domain.ExecutionTrace{Status: domain.StatusOK, Workers: []domain.WorkerTrace{{Call: domain.CallTrace{Status: domain.StatusError}}}}
	for _, r := range []struct {
		res domain.ChatResult
		err error
	}{
		{domain.ChatResult{Model: alpha}, errors.New("upstream failed")},
		{domain.ChatResult{Model: beta, Text: "from a fallback"}, nil},
		{domain.ChatResult{Model: alpha, Text: "one worker failed", Trace: degraded}, nil},
		{domain.ChatResult{Model: alpha}, nil},
	} {
		next.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(r.res, r.err)
		_, _ = g.Complete(t.Context(), cacheReq("q"))
	}
	require.Empty(t, store.m)
}

func TestCacheBypassAndAStoreOutageGoUpstream(t *testing.T) {
	t.Parallel()
	g, next, store, outcomes := cached(t)
	next.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(domain.ChatResult{Model: alpha, Text: "a"}, nil).Times(3)

	req := cacheReq("q")
	req.CacheBypass = true
	_, err := g.Complete(t.Context(), req)
	require.NoError(t, err)
	require.Empty(t, store.m, "a bypassed answer is not stored")

	store.down = true
	for range 2 {
		res, err := g.Complete(t.Context(), cacheReq("q"))
		require.NoError(t, err, "an unreachable store is a miss, never a failure")
		require.Equal(t, "a", res.Text)
	}
	require.Equal(t, map[string]int{app.CacheBypass: 1, app.CacheMiss: 2}, outcomes)
}

func TestCacheKeyIgnoresJSONSpacingAndKeyOrder(t *testing.T) {
	t.Parallel()
	g, next, _, outcomes := cached(t)
	next.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(domain.ChatResult{Model: alpha, Text: "a"}, nil).Times(1)
	a, b := cacheReq("q"), cacheReq("q")
	a.Params.ResponseFormat = domain.RawJSON(`{"type":"json_object","x":1}`)
	b.Params.ResponseFormat = domain.RawJSON(`{ "x": 1, "type": "json_object" }`)
	_, err := g.Complete(t.Context(), a)
	require.NoError(t, err)
	_, err = g.Complete(t.Context(), b)
	require.NoError(t, err)
	require.Equal(t, 1, outcomes[app.CacheHit])
}
