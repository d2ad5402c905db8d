package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// Limits are the per-key rate limits.
type Limits struct {
	Limiter ports.Limiter
	Keys    []domain.KeyLimit
	// FailOpen lets requests through when the Limiter fails (its store is
	// unreachable); false refuses them with 429.
	FailOpen bool
	// Observe, when set, is told the budget ("requests" or "tokens") of
	// every refused request.
	Observe func(budget string)
}

// keyBudget is one limited key's budgets and its limiter id: a hash, so the
// key itself never reaches the limiter's store.
type keyBudget struct {
	id       string
	requests int
	tokens   int
}

func budgetsOf(l Limits) map[string]keyBudget {
	if l.Limiter == nil || len(l.Keys) == 0 {
		return nil
	}
	m := make(map[string]keyBudget, len(l.Keys))
	for _, k := range l.Keys {
		sum := sha256.Sum256([]byte(k.Key.Reveal()))
		m[k.Key.Reveal()] = keyBudget{id: hex.EncodeToString(sum[:16]), requests: k.RequestsPerMinute, tokens: k.TokensPerMinute}
	}
	return m
}

// rateLimitedError is a request over its key's budget.
type rateLimitedError struct {
	budget     string
	retryAfter time.Duration
}

func (e *rateLimitedError) Error() string {
	return "rate limit exceeded: this API key's " + e.budget + " per minute budget is spent; retry after " +
		strconv.Itoa(retryAfterSecs(e.retryAfter)) + "s"
}

// retryAfterSecs rounds a wait up to whole seconds, at least 1.
func retryAfterSecs(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// rateLimit spends the request budget of the caller's key before the
// request and charges the answer's tokens to its token budget after it (a
// request is refused while no token is left). Keys without limits, and
// servers without any, pass straight through.
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.budgets == nil || openPaths[c.Request().URL.Path] {
			return next(c)
		}
		b, ok := s.budgets[bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))]
		if !ok {
			return next(c)
		}
		ctx := c.Request().Context()
		if err := s.spend(ctx, c, b); err != nil {
			return err
		}
		err := next(c)
		if b.tokens > 0 {
			if n := infoOf(c).tokens; n > 0 {
				// Charged even when the client left: the upstream was paid.
				if cerr := s.opts.Limits.Limiter.Charge(context.WithoutCancel(ctx), "tokens:"+b.id, b.tokens, n); cerr != nil {
					zerolog.Ctx(ctx).Debug().Err(cerr).Msg("token budget not charged")
				}
			}
		}
		return err
	}
}

// spend checks both budgets; a refusal sets Retry-After.
func (s *Server) spend(ctx context.Context, c echo.Context, b keyBudget) error {
	for _, budget := range []struct {
		name      string
		perMinute int
		n         int
	}{{"requests", b.requests, 1}, {"tokens", b.tokens, 0}} {
		if budget.perMinute <= 0 {
			continue
		}
		d, err := s.opts.Limits.Limiter.Take(ctx, budget.name+":"+b.id, budget.perMinute, budget.n)
		if err != nil {
			if s.opts.Limits.FailOpen || errors.Is(err, context.Canceled) {
				continue
			}
			d = ports.LimitDecision{RetryAfter: time.Second}
		}
		if !d.Allowed {
			if s.opts.Limits.Observe != nil {
				s.opts.Limits.Observe(budget.name)
			}
			c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfterSecs(d.RetryAfter)))
			return &rateLimitedError{budget: budget.name, retryAfter: d.RetryAfter}
		}
	}
	return nil
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(header string) string {
	const prefix = "Bearer "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return ""
	}
	return strings.TrimSpace(header[len(prefix):])
}
