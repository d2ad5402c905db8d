package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// errStreamClosed is returned to late senders once Stream has returned.
var errStreamClosed = errors.New("stream closed")

// Stream answers a request, emitting content deltas as they arrive and
// keep-alive ticks until the first one. emit is never called concurrently
// and never after Stream returns.
func (s *Service) Stream(ctx context.Context, req domain.ChatRequest, emit func(domain.StreamEvent) error) (domain.ChatResult, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	em := &emitter{emit: emit}
	stop := em.keepAlive(ctx, cancel, s.keepAlive, func(v any) error { return s.recovered(ctx, "keep-alive", v) })
	defer em.close()
	defer stop()
	res, err := s.answer(ctx, req, em)
	if perr := (*domain.PanicError)(nil); err != nil && errors.As(context.Cause(ctx), &perr) {
		return res, fmt.Errorf("stream: %w", perr) // an internal failure, not a client that went away
	}
	if err != nil || em.started() || (res.Text == "" && len(res.ToolCalls) == 0) {
		return res, err
	}
	// Select mode, a synthesizer that failed before its first delta, or an
	// upstream that answered a stream request in one piece: the answer goes
	// out as one delta.
	d := domain.Delta{Text: res.Text, Reasoning: res.Reasoning, ToolCalls: res.ToolCalls}
	if em.reasonedYet() {
		d.Reasoning = "" // already streamed line by line
	}
	if err := em.delta(d); err != nil {
		return res, fmt.Errorf("emit answer: %w", err)
	}
	return res, nil
}

// emitter serializes every call of the consumer's emit function.
type emitter struct {
	mu       sync.Mutex
	emit     func(domain.StreamEvent) error
	model    string // the model whose answer is streaming (passthrough)
	closed   bool
	content  bool // a content delta was emitted
	reasoned bool // a reasoning-only delta was emitted
}

// delta emits a content delta.
func (e *emitter) delta(d domain.Delta) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return errStreamClosed
	}
	e.content = true
	return e.emit(domain.StreamEvent{Delta: d, Model: e.model})
}

// answering names the model whose answer the next deltas are part of: a
// passthrough tells it before each model of its fallback chain is called,
// so a fallback's chunks carry the fallback's name.
func (e *emitter) answering(model string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.model = model
}

// reasoning emits reasoning text (a progress line or upstream thinking).
// Unlike content it does not end the keep-alives: the gaps between
// progress lines can be long.
func (e *emitter) reasoning(text string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return errStreamClosed
	}
	e.reasoned = true
	return e.emit(domain.StreamEvent{Delta: domain.Delta{Reasoning: text}, Model: e.model})
}

// tick emits a keep-alive unless content has started flowing; more is
// false once it has (or the stream is closed), since no tick is needed then.
func (e *emitter) tick() (more bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed || e.content {
		return false, nil
	}
	return true, e.emit(domain.StreamEvent{KeepAlive: true})
}

// started reports whether a content delta was emitted.
func (e *emitter) started() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.content
}

// reasonedYet reports whether reasoning was emitted.
func (e *emitter) reasonedYet() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.reasoned
}

func (e *emitter) close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
}

// keepAlive ticks every interval until content flows, ctx ends or stop is
// called; a failing emit cancels the request with the emit error as cause,
// and a panic with the error recovered makes of it. stop waits for the
// ticker goroutine to exit.
func (e *emitter) keepAlive(ctx context.Context, cancel context.CancelCauseFunc, every time.Duration,
	recovered func(any) error) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		defer func() {
			if v := recover(); v != nil {
				cancel(recovered(v))
			}
		}()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				more, err := e.tick()
				if err != nil {
					cancel(fmt.Errorf("emit keep-alive: %w", err))
				}
				if !more || err != nil {
					return
				}
			}
		}
	}()
	return func() { close(done); <-exited }
}
