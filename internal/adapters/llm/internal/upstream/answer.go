package upstream

import (
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Answer accumulates a streamed completion as its deltas are relayed; the
// provider's relay embeds it and adds its own decoding state.
type Answer struct {
	Text      strings.Builder
	Reasoning strings.Builder
	Calls     []domain.ToolCall
	Finish    string
	Usage     domain.Usage
	// Events counts the decoded stream events (for the end-of-stream log).
	Events int
	// Limit bounds the bytes kept (text, reasoning, tool-call arguments);
	// 0 means DefaultMaxAnswerBytes.
	Limit int
	kept  int
}

// Keep counts a delta against the answer limit before it is kept, so an
// endless stream is cut instead of growing the answer (and every copy the
// client side makes of it) without bound.
func (a *Answer) Keep(d domain.Delta) error {
	limit := StreamLimits{MaxAnswerBytes: a.Limit}.WithDefaults().MaxAnswerBytes
	a.kept += len(d.Text) + len(d.Reasoning)
	for _, tc := range d.ToolCalls {
		a.kept += len(tc.ID) + len(tc.Name) + len(tc.Arguments)
	}
	if a.kept > limit {
		return overLimit("answer", limit, "max_answer_bytes")
	}
	return nil
}

// Completion returns the aggregated answer.
func (a *Answer) Completion(attempts int) domain.Completion {
	return domain.Completion{
		Text:         a.Text.String(),
		Reasoning:    a.Reasoning.String(),
		ToolCalls:    a.Calls,
		FinishReason: FinishReason(a.Finish, len(a.Calls) > 0),
		Usage:        a.Usage,
		Attempts:     attempts,
	}
}
