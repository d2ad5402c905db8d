package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// Cache lookup outcomes (for metrics).
const (
	CacheHit    = "hit"
	CacheMiss   = "miss"
	CacheBypass = "bypass"
)

// maxCachedBytes bounds one cached answer, so max_entries bounds memory.
const maxCachedBytes = 1 << 20

// CacheOptions configure the answer cache.
type CacheOptions struct {
	Store ports.CacheStore
	TTL   time.Duration
	// Observe, when set, is told every lookup's outcome.
	Observe func(outcome string)
}

// CachedGateway answers repeated requests from an exact-match cache of
// complete answers. Stream and non-stream requests share entries: a hit on
// a stream is emitted as one delta, which the HTTP adapter renders as a
// normal stream of the client's protocol. Errors, partial and degraded
// answers (a fallback answered, a workflow stage failed) are never stored.
type CachedGateway struct {
	next ports.Gateway
	opts CacheOptions
}

var _ ports.Gateway = (*CachedGateway)(nil)

// NewCachedGateway decorates next with the cache.
func NewCachedGateway(next ports.Gateway, opts CacheOptions) *CachedGateway {
	if opts.Observe == nil {
		opts.Observe = func(string) {}
	}
	return &CachedGateway{next: next, opts: opts}
}

// Models implements ports.Gateway.
func (g *CachedGateway) Models() []domain.ModelInfo { return g.next.Models() }

// Complete implements ports.Gateway.
func (g *CachedGateway) Complete(ctx context.Context, req domain.ChatRequest) (domain.ChatResult, error) {
	key, res, hit := g.lookup(ctx, req)
	if hit {
		return res, nil
	}
	res, err := g.next.Complete(ctx, req)
	g.store(ctx, key, req, res, err)
	return res, err
}

// Stream implements ports.Gateway.
func (g *CachedGateway) Stream(ctx context.Context, req domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error) {
	key, res, hit := g.lookup(ctx, req)
	if hit {
		d := domain.Delta{Text: res.Text, Reasoning: res.Reasoning, ToolCalls: res.ToolCalls, FinishReason: res.FinishReason}
		if err := emit(domain.StreamEvent{Delta: d}); err != nil {
			return res, err
		}
		return res, nil
	}
	res, err := g.next.Stream(ctx, req, emit)
	g.store(ctx, key, req, res, err)
	return res, err
}

// lookup returns the request's key and, on a hit, the cached answer. A
// store error is a miss: the cache never fails a request.
func (g *CachedGateway) lookup(ctx context.Context, req domain.ChatRequest) (string, domain.ChatResult, bool) {
	if req.CacheBypass {
		g.opts.Observe(CacheBypass)
		return "", domain.ChatResult{}, false
	}
	key, err := cacheKey(req)
	if err != nil {
		g.opts.Observe(CacheBypass)
		return "", domain.ChatResult{}, false
	}
	var res domain.ChatResult
	b, ok, err := g.opts.Store.Get(ctx, key)
	hit := err == nil && ok && json.Unmarshal(b, &res) == nil
	if hit {
		g.opts.Observe(CacheHit)
	} else {
		g.opts.Observe(CacheMiss)
	}
	if req.OnCache != nil {
		req.OnCache(hit)
	}
	return key, res, hit
}

// store keeps a complete, healthy answer.
func (g *CachedGateway) store(ctx context.Context, key string, req domain.ChatRequest, res domain.ChatResult, err error) {
	if key == "" || err != nil || ctx.Err() != nil || !cacheable(req, res) {
		return
	}
	b, merr := json.Marshal(res)
	if merr != nil || len(b) > maxCachedBytes {
		return
	}
	// The answer is already the client's; a failed write only loses a
	// future hit (the store logs it).
	_ = g.opts.Store.Set(context.WithoutCancel(ctx), key, b, g.opts.TTL)
}

// cacheable is false for empty answers, answers from a fallback model and
// workflow answers with a failed or fallen-back stage anywhere.
func cacheable(req domain.ChatRequest, res domain.ChatResult) bool {
	if res.Model != req.Model || (res.Text == "" && len(res.ToolCalls) == 0) {
		return false
	}
	return res.Trace == nil || healthyTrace(res.Trace)
}

func healthyTrace(t *domain.ExecutionTrace) bool {
	ok := func(c domain.CallTrace) bool {
		return (c.Status == domain.StatusOK || c.Status == domain.StatusSkipped || c.Status == "") && c.FallbackFrom == ""
	}
	if t.Status != domain.StatusOK {
		return false
	}
	if (t.Analyzer != nil && !ok(t.Analyzer.CallTrace)) || (t.Selector != nil && !ok(t.Selector.CallTrace)) ||
		(t.Synthesizer != nil && !ok(t.Synthesizer.CallTrace)) {
		return false
	}
	for _, w := range t.Workers {
		if !ok(w.Call) || (w.Nested != nil && !healthyTrace(w.Nested)) {
			return false
		}
	}
	return true
}

// errNotCacheable marks a request whose key cannot be built.
var errNotCacheable = errors.New("request not cacheable")
