package httpapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// upstreamMessage is what a client is told about an upstream failure: the
// model and the kind of failure, plus the provider's own words when it
// answered. The full error (dial addresses, resolver and TLS details of the
// operator's network) stays in the log line and the trace.
func upstreamMessage(err error) string {
	var (
		all   *domain.AllWorkersFailedError
		stage *domain.StageError
		lerr  *domain.LLMError
	)
	switch {
	case errors.As(err, &all):
		parts := make([]string, 0, len(all.Failures))
		for _, f := range all.Failures {
			parts = append(parts, f.Label+": "+upstreamMessage(f.Err))
		}
		return domain.ErrAllWorkersFailed.Error() + ": " + strings.Join(parts, " | ")
	case errors.As(err, &stage):
		return stage.Stage + ": " + upstreamMessage(stage.Err)
	case errors.As(err, &lerr):
		return "model " + lerr.Model + ": " + llmFailure(lerr)
	case errors.Is(err, domain.ErrAllWorkersFailed):
		return domain.ErrAllWorkersFailed.Error()
	case errors.Is(err, domain.ErrStageTimeout), errors.Is(err, context.DeadlineExceeded):
		return "stage timeout"
	case errors.Is(err, domain.ErrUnknownModel):
		return domain.ErrUnknownModel.Error()
	case errors.Is(err, domain.ErrInvalidToolAnswer):
		// Chorus' own words about the answer against the client's tools:
		// nothing of the operator's network.
		return err.Error()
	default:
		return "upstream error"
	}
}

// llmFailure names an upstream failure by kind. Only an upstream's answer
// (an HTTP status with its message, or an error object in its body) is
// quoted: connection and timeout texts come from the local network stack.
func llmFailure(e *domain.LLMError) string {
	switch e.Kind {
	case domain.LLMTimeout:
		return "upstream timed out"
	case domain.LLMConnection:
		return "could not connect to the upstream"
	case domain.LLMCanceled:
		return "canceled"
	case domain.LLMStatus:
		return withDetail(fmt.Sprintf("upstream answered HTTP %d", e.Status), e.Message)
	default:
		return withDetail("upstream sent an unusable answer", e.Message)
	}
}

func withDetail(what, detail string) string {
	if detail == "" {
		return what
	}
	return what + ": " + detail
}
