package openai

import (
	"bytes"
	"encoding/json"

	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// The fast decoders read the common shapes of a completion or a stream
// chunk into the shared wire types without reflection: one choice whose
// message or delta carries only text (content, reasoning), its finish
// reason and the usage counts, among any number of ignored fields (the
// object's id, object, created and model are left zero: the client does
// not read them, and decoding them would cost an allocation each). They
// report false, leaving out in an unspecified state, for anything else
// (tool calls, content parts, several choices, an error, a case-variant or
// duplicate key, invalid JSON); the caller then decodes with encoding/json,
// whose result they match exactly otherwise.

// fastDecodeCompletion decodes a non-streamed chat.completion; the
// message's content points into out.
func fastDecodeCompletion(data []byte, out *completionBody) bool {
	s := scanner{data: data, slot: &out.content}
	return s.body(&out.Error, func() bool {
		return choices(&s, &out.Choices, s.chatChoice)
	}, func() bool {
		u, ok := s.usage()
		out.Usage = u
		return ok
	})
}

// fastDecodeChunk decodes one chat.completion.chunk. A delta's content is
// decoded into *slot, which the chunk then points at: the caller consumes
// a chunk before decoding the next, so one slot serves a whole stream
// without an allocation per chunk.
func fastDecodeChunk(data []byte, out *chunkBody, slot *wire.Text) bool {
	s := scanner{data: data, slot: slot}
	return s.body(&out.Error, func() bool {
		return choices(&s, &out.Choices, s.chunkChoice)
	}, func() bool {
		u, ok := s.usage()
		out.Usage = wire.ChunkUsage{Usage: u, Null: u == nil}
		return ok
	})
}

// body reads the top-level object: choices, usage and a null error.
func (s *scanner) body(errField *json.RawMessage, choices, usage func() bool) bool {
	var seen uint8
	ok := s.object(func(k []byte) bool {
		switch string(k) {
		case "choices":
			return once(&seen, 1) && choices()
		case "usage":
			return once(&seen, 2) && usage()
		case "error":
			if !once(&seen, 4) || !s.null() {
				return false
			}
			*errField = json.RawMessage("null")
			return true
		case "id", "object", "model":
			// Not stored, but typed: encoding/json refuses other values.
			return (s.peek() == '"' || s.peek() == 'n') && s.skip(0)
		case "created":
			return s.null() || s.wholeNumber()
		}
		return !foldsTo(k, "choices", "usage", "error", "id", "object", "model", "created") && s.skip(0)
	})
	return ok && s.end()
}

// wholeNumber skips an integer that surely fits an int64 (at most 18
// digits), as encoding/json needs for created; anything else is refused.
func (s *scanner) wholeNumber() bool {
	s.ws()
	start := s.pos
	if !s.number() {
		return false
	}
	lit := s.data[start:s.pos]
	if len(lit) > 0 && lit[0] == '-' {
		lit = lit[1:]
	}
	if len(lit) > 18 {
		return false
	}
	for _, c := range lit {
		if c < '0' || c > '9' {
			return false // a fraction or exponent
		}
	}
	return true
}

// once marks bit in seen and reports whether it was not set before.
func once(seen *uint8, bit uint8) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// choices reads an array of at most one choice into out (its backing
// array reused).
func choices[C any](s *scanner, out *[]C, choice func(*C) bool) bool {
	if !s.consume('[') {
		return false
	}
	*out = (*out)[:0]
	if s.consume(']') {
		return true
	}
	var zero C
	*out = append(*out, zero)
	return choice(&(*out)[0]) && s.consume(']')
}

// chatChoice reads one choice of a chat.completion.
func (s *scanner) chatChoice(ch *wire.ChatChoice) bool {
	return s.choice(&ch.Index, &ch.Logprobs, &ch.Text, "message", func() bool {
		return s.null() || s.message(&ch.Message)
	}, func() bool {
		if s.null() {
			return true
		}
		v, ok := s.str()
		ch.FinishReason = v
		return ok
	})
}

// chunkChoice reads one choice of a chat.completion.chunk.
func (s *scanner) chunkChoice(ch *wire.ChunkChoice) bool {
	return s.choice(&ch.Index, &ch.Logprobs, &ch.Text, "delta", func() bool {
		return s.null() || s.delta(&ch.Delta)
	}, func() bool {
		if s.null() {
			ch.FinishReason = nil
			return true
		}
		v, ok := s.str()
		ch.FinishReason = &v
		return ok
	})
}

// choice reads the fields every choice has and, with body and finish, its
// message (or delta) and finish reason.
func (s *scanner) choice(index *int, lp **struct{}, text *wire.Text, bodyKey string, body, finish func() bool) bool {
	var seen uint8
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "index":
			n, ok := s.integer()
			*index = n
			return once(&seen, 1) && ok
		case bodyKey:
			return once(&seen, 2) && body()
		case "logprobs":
			return once(&seen, 4) && s.logprobs(lp)
		case "text":
			return once(&seen, 8) && s.text(text)
		case "finish_reason":
			return once(&seen, 16) && finish()
		}
		return !foldsTo(k, "index", bodyKey, "logprobs", "text", "finish_reason") && s.skip(0)
	})
}

// message reads a chat.completion message with text fields only.
func (s *scanner) message(m *wire.ChatMessage) bool {
	var seen uint8
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "role":
			v, ok := s.role()
			m.Role = v
			return once(&seen, 1) && ok
		case "content":
			if !once(&seen, 2) {
				return false
			}
			if s.null() {
				m.Content = nil
				return true
			}
			m.Content = s.slot
			return s.text(s.slot)
		case "refusal":
			return once(&seen, 4) && s.null()
		}
		return s.reasoning(k, &seen, &m.Reasoning, "role", "content", "refusal")
	})
}

// delta reads a chunk's delta with text fields only; content goes to the
// scanner's slot.
func (s *scanner) delta(d *wire.Delta) bool {
	var seen uint8
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "role":
			v, ok := s.role()
			d.Role = v
			return once(&seen, 1) && ok
		case "content":
			if !once(&seen, 2) {
				return false
			}
			if s.null() {
				d.Content = nil
				return true
			}
			d.Content = s.slot
			return s.text(s.slot)
		}
		return s.reasoning(k, &seen, &d.Reasoning, "role", "content")
	})
}

// assistantLit is the role of every answer, as a JSON string.
var assistantLit = []byte(`"assistant"`)

// role reads a message's role; the usual "assistant" costs no allocation.
func (s *scanner) role() (string, bool) {
	if s.peek() == '"' && bytes.HasPrefix(s.data[s.pos:], assistantLit) {
		s.pos += len(assistantLit)
		return "assistant", true
	}
	return s.str()
}

// reasoning reads the reasoning fields a message and a delta share, and
// skips unknown keys; a tool call, or a case variant of any of known,
// leaves the value to encoding/json.
func (s *scanner) reasoning(k []byte, seen *uint8, r *wire.Reasoning, known ...string) bool {
	switch string(k) {
	case "reasoning_content":
		return once(seen, 16) && s.text(&r.ReasoningContent)
	case "reasoning":
		return once(seen, 32) && s.text(&r.Reasoning)
	}
	return !foldsTo(k, known...) && !foldsTo(k, "reasoning_content", "reasoning", "tool_calls") && s.skip(0)
}

// logprobs reads a choice's logprobs: null, or an object whose content is
// skipped (Chorus does not relay log probabilities).
func (s *scanner) logprobs(lp **struct{}) bool {
	if s.null() {
		*lp = nil
		return true
	}
	if s.peek() != '{' {
		return false
	}
	*lp = &struct{}{}
	return s.skip(0)
}

// text reads a Text sent as a string or null.
func (s *scanner) text(t *wire.Text) bool {
	if s.null() {
		*t = ""
		return true
	}
	v, ok := s.str()
	*t = wire.Text(v)
	return ok
}

// usage reads the usage object (nil for null).
func (s *scanner) usage() (*wire.Usage, bool) {
	if s.null() {
		return nil, true
	}
	u := &wire.Usage{}
	var seen uint8
	ok := s.object(func(k []byte) bool {
		switch string(k) {
		case "prompt_tokens":
			n, ok := s.integer()
			u.PromptTokens = n
			return once(&seen, 1) && ok
		case "completion_tokens":
			n, ok := s.integer()
			u.CompletionTokens = n
			return once(&seen, 2) && ok
		case "total_tokens":
			n, ok := s.integer()
			u.TotalTokens = n
			return once(&seen, 4) && ok
		}
		return !foldsTo(k, "prompt_tokens", "completion_tokens", "total_tokens") && s.skip(0)
	})
	return u, ok
}
