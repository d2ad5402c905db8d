package app

import (
	"context"
	"runtime/debug"

	"github.com/chorus-ai/chorus/internal/domain"
)

// recovered turns a panic value into a *domain.PanicError and logs it with
// its stack. Every goroutine a request starts, and every model call, ends
// through it, so a panic fails only that part of the request.
func (s *Service) recovered(ctx context.Context, where string, v any) *domain.PanicError {
	perr := &domain.PanicError{Where: where, Value: v, Stack: debug.Stack()}
	l := s.logger(ctx)
	l.Error().Str("where", where).Str("panic", perr.Error()).Bytes("stack", perr.Stack).Msg("recovered panic")
	return perr
}

// guard runs one ChatModel call; a panic inside it becomes the call's error.
func (s *Service) guard(ctx context.Context, model string, call func() (domain.Completion, error)) (comp domain.Completion, err error) {
	defer func() {
		if v := recover(); v != nil {
			comp, err = domain.Completion{}, s.recovered(ctx, "model "+model, v)
		}
	}()
	return call()
}
