package upstream

import (
	"fmt"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Default stream limits. Memory is bounded by the event and answer limits:
// generous for real answers (128k output tokens are about 512 KiB of text),
// small enough that a hostile or broken upstream cannot grow the process.
// The byte and time budgets bound a stream of events that carry nothing,
// so they are large: about 200 bytes of SSE framing come with every token.
const (
	DefaultMaxEventBytes  = 1 << 20
	DefaultMaxAnswerBytes = 2 << 20
	DefaultMaxStreamBytes = 256 << 20
	DefaultMaxStreamTime  = 15 * time.Minute
)

// StreamLimits bound what one streamed upstream answer may cost. The zero
// value of a field means its default.
type StreamLimits struct {
	// MaxEventBytes bounds one SSE event (all its lines) or one NDJSON line.
	MaxEventBytes int
	// MaxAnswerBytes bounds the answer kept from one stream: text,
	// reasoning and tool-call arguments together.
	MaxAnswerBytes int
	// MaxStreamBytes bounds the bytes read from one stream body.
	MaxStreamBytes int64
	// MaxStreamTime bounds one stream's total duration, however often its
	// deltas re-arm the stage's idle timeout.
	MaxStreamTime time.Duration
}

// WithDefaults fills every unset limit with its default.
func (l StreamLimits) WithDefaults() StreamLimits {
	if l.MaxEventBytes <= 0 {
		l.MaxEventBytes = DefaultMaxEventBytes
	}
	if l.MaxAnswerBytes <= 0 {
		l.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	if l.MaxStreamBytes <= 0 {
		l.MaxStreamBytes = DefaultMaxStreamBytes
	}
	if l.MaxStreamTime <= 0 {
		l.MaxStreamTime = DefaultMaxStreamTime
	}
	return l
}

// overLimit is the error of a stream that crossed one of its limits; the
// message names the config key so an operator knows what to raise.
func overLimit(what string, limit any, key string) *domain.LLMError {
	return &domain.LLMError{Kind: domain.LLMLimit, Message: fmt.Sprintf("%s over the %v limit (upstream.%s)", what, limit, key)}
}
