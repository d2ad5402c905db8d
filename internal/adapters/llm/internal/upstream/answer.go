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
