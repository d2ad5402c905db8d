package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors matched with errors.Is by the HTTP adapter's error table.
var (
	// ErrInvalidRequest marks a request the client must fix (HTTP 400).
	ErrInvalidRequest = errors.New("invalid request")
	// ErrInvalidToolAnswer marks a worker answer that breaks the request's
	// tool rules (text when a tool call was required, a call to a function
	// that was not offered, malformed arguments): the candidate is dropped.
	ErrInvalidToolAnswer = errors.New("invalid tool answer")
	// ErrAllWorkersFailed marks a workflow whose workers all failed (HTTP 502).
	ErrAllWorkersFailed = errors.New("All worker models failed") //nolint:staticcheck // SPEC.md §5 fixes this exact client-facing text
	// ErrStageTimeout marks a stage deadline with nothing to return (HTTP 504).
	ErrStageTimeout = errors.New("stage timeout")
	// ErrUpstream marks any upstream failure (HTTP 502).
	ErrUpstream = errors.New("upstream error")
	// ErrCanceled marks work stopped because the client went away.
	ErrCanceled = errors.New("canceled")
	// ErrUnknownModel marks a name that is neither a model nor the workflow.
	ErrUnknownModel = errors.New("unknown model")
)

// InvalidRequest returns an error wrapping ErrInvalidRequest with a message
// safe to show to the client.
func InvalidRequest(format string, args ...any) error {
	return &RequestError{Msg: fmt.Sprintf(format, args...)}
}

// RequestError is a client mistake; Msg is shown to the client verbatim.
type RequestError struct{ Msg string }

func (e *RequestError) Error() string { return e.Msg }

// Unwrap lets errors.Is(err, ErrInvalidRequest) match.
func (e *RequestError) Unwrap() error { return ErrInvalidRequest }

// LLMErrorKind classifies upstream failures.
type LLMErrorKind string

// Kinds of upstream failure.
const (
	LLMTimeout     LLMErrorKind = "timeout"
	LLMCanceled    LLMErrorKind = "canceled"
	LLMStatus      LLMErrorKind = "status"
	LLMBadResponse LLMErrorKind = "bad_response"
	LLMConnection  LLMErrorKind = "connection"
)

// LLMError is a typed upstream failure. It never carries an API key.
type LLMError struct {
	Model      string
	Kind       LLMErrorKind
	Status     int // HTTP status for LLMStatus
	Message    string
	RetryAfter time.Duration
	Attempts   int
	// Deployments records each attempt of a model with several
	// deployments (all failed).
	Deployments []DeploymentAttempt
	Err         error
}

func (e *LLMError) Error() string {
	var b strings.Builder
	b.WriteString("model ")
	b.WriteString(e.Model)
	b.WriteString(": ")
	switch e.Kind {
	case LLMStatus:
		fmt.Fprintf(&b, "upstream status %d", e.Status)
	default:
		b.WriteString(string(e.Kind))
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Unwrap exposes the cause.
func (e *LLMError) Unwrap() error { return e.Err }

// Is lets errors.Is match the sentinels by kind.
func (e *LLMError) Is(target error) bool {
	switch target {
	case ErrUpstream:
		return e.Kind != LLMCanceled
	case ErrStageTimeout:
		return e.Kind == LLMTimeout
	case ErrCanceled:
		return e.Kind == LLMCanceled
	}
	return false
}

// WorkerFailure is one failed worker of a plan.
type WorkerFailure struct {
	Label string
	Err   error
}

// AllWorkersFailedError reports every worker's error.
type AllWorkersFailedError struct {
	Plan     string
	Failures []WorkerFailure
}

func (e *AllWorkersFailedError) Error() string {
	parts := make([]string, 0, len(e.Failures))
	for _, f := range e.Failures {
		parts = append(parts, f.Label+": "+f.Err.Error())
	}
	return ErrAllWorkersFailed.Error() + ": " + strings.Join(parts, " | ")
}

// Unwrap lets errors.Is(err, ErrAllWorkersFailed) match.
func (e *AllWorkersFailedError) Unwrap() error { return ErrAllWorkersFailed }

// StageError is a stage that failed with nothing to fall back to.
type StageError struct {
	Stage string
	Err   error
}

func (e *StageError) Error() string { return e.Stage + ": " + e.Err.Error() }

// Unwrap exposes the cause.
func (e *StageError) Unwrap() error { return e.Err }
