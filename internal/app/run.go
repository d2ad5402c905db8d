package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// run is the state of one workflow request, shared by every plan it runs.
type run struct {
	s        *Service
	id       string
	start    time.Time
	messages []domain.Message
	convo    string        // the conversation rendered for stage prompts
	sem      chan struct{} // bounds in-flight worker calls; nil = unbounded
	em       *emitter      // nil unless streaming

	// Adaptive routing: the client's parameters, forwarded to the routing
	// model, and its completion once it answered.
	params domain.Params
	routed *domain.Completion

	// workerParams are the client's parameters every worker gets (tools,
	// tool_choice, parallel_tool_calls, response_format); the workflow sets
	// the temperature, and the judging stages get none of them.
	workerParams domain.Params
	tools        toolPolicy
	format       outputFormat
	// textOnly is messages without images, for vision = false workers;
	// inlineOnly is messages without image URLs, for Ollama workers.
	textOnly       []domain.Message
	textOnlyOnce   sync.Once
	inlineOnly     []domain.Message
	inlineOnlyOnce sync.Once
	progress       *progress // nil unless the request gets progress lines
}

func (s *Service) newRun(req domain.ChatRequest, em *emitter) *run {
	r := &run{s: s, id: newWorkflowID(), start: s.now(), messages: req.Messages, em: em, params: req.Params,
		tools: newToolPolicy(req.Params), format: newOutputFormat(req.Params.ResponseFormat)}
	r.workerParams = domain.Params{Tools: req.Params.Tools, ToolChoice: req.Params.ToolChoice,
		ParallelToolCalls: req.Params.ParallelToolCalls, ResponseFormat: req.Params.ResponseFormat}
	r.convo = renderConversation(req.Messages)
	r.progress = s.newProgress(req, em)
	if s.wf.MaxConcurrency > 0 {
		r.sem = make(chan struct{}, s.wf.MaxConcurrency)
	}
	return r
}

// offset is the time elapsed since the workflow started.
func (r *run) offset() time.Duration { return r.s.now().Sub(r.start) }

// spec returns the configured model (zero when unknown).
func (r *run) spec(name string) domain.ModelSpec { return r.s.wf.Models[name] }

// acquire takes a worker slot; release must be called when it returns nil.
func (r *run) acquire(ctx context.Context) (release func(), err error) {
	if r.sem == nil {
		return func() {}, nil
	}
	select {
	case r.sem <- struct{}{}:
		return func() { <-r.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// newWorkflowID returns 16 random bytes in hex.
func newWorkflowID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b[:])
}

// stopped returns the error to report when ctx ended the workflow: it
// matches domain.ErrCanceled (or domain.ErrStageTimeout for a deadline) and
// the context error; nil while ctx is live.
func stopped(ctx context.Context) error {
	err := ctx.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", domain.ErrStageTimeout, err)
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, err) {
		return fmt.Errorf("%w: %w: %w", domain.ErrCanceled, err, cause)
	}
	return fmt.Errorf("%w: %w", domain.ErrCanceled, err)
}

// status classifies a call's outcome; parent is the context the call's own
// deadline was derived from, so its end means "canceled", not "timeout".
func status(parent context.Context, err error) domain.CallStatus {
	switch {
	case err == nil:
		return domain.StatusOK
	case parent.Err() != nil:
		return domain.StatusCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, domain.ErrStageTimeout):
		return domain.StatusTimeout
	}
	return domain.StatusError
}
