package openai

import "encoding/json"

// fastDecode decodes the common shapes of a completion or stream chunk
// without reflection: one choice whose message or delta carries only text
// (content, reasoning), its finish reason and the usage counts, among any
// number of ignored fields. It reports false, leaving out in an unspecified
// state, for anything else (tool calls, content parts, several choices, an
// error, a case-variant or duplicate key, invalid JSON); the caller then
// decodes with encoding/json, whose result it matches exactly otherwise.
func fastDecode(data []byte, out *wireResponse) bool {
	s := scanner{data: data}
	var seen uint8
	ok := s.object(func(k []byte) bool {
		switch string(k) {
		case "choices":
			return once(&seen, 1) && s.choices(out)
		case "usage":
			return once(&seen, 2) && s.usage(out)
		case "error":
			if !once(&seen, 4) || !s.null() {
				return false
			}
			out.Error = json.RawMessage("null")
			return true
		}
		return !foldsTo(k, "choices", "usage", "error") && s.skip(0)
	})
	return ok && s.end()
}

// once marks bit in seen and reports whether it was not set before.
func once(seen *uint8, bit uint8) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// choices reads an array of at most one choice.
func (s *scanner) choices(out *wireResponse) bool {
	if !s.consume('[') {
		return false
	}
	out.Choices = out.Choices[:0]
	if s.consume(']') {
		return true
	}
	out.Choices = append(out.Choices, wireChoice{})
	return s.choice(&out.Choices[0]) && s.consume(']')
}

// choice reads one choice object.
func (s *scanner) choice(ch *wireChoice) bool {
	var seen uint8
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "index":
			n, ok := s.integer()
			ch.Index = n
			return once(&seen, 1) && ok
		case "message":
			return once(&seen, 2) && (s.null() || s.delta(&ch.Message))
		case "delta":
			return once(&seen, 4) && (s.null() || s.delta(&ch.Delta))
		case "text":
			return once(&seen, 8) && s.text(&ch.Text)
		case "finish_reason":
			if !once(&seen, 16) {
				return false
			}
			if s.null() {
				return true
			}
			v, ok := s.str()
			ch.FinishReason = v
			return ok
		}
		return !foldsTo(k, "index", "message", "delta", "text", "finish_reason") && s.skip(0)
	})
}

// delta reads a message or delta object with text fields only.
func (s *scanner) delta(d *wireDelta) bool {
	var seen uint8
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "content":
			return once(&seen, 1) && s.text(&d.Content)
		case "reasoning_content":
			return once(&seen, 2) && s.text(&d.ReasoningContent)
		case "reasoning":
			return once(&seen, 4) && s.text(&d.Reasoning)
		}
		return !foldsTo(k, "content", "reasoning_content", "reasoning", "tool_calls") && s.skip(0)
	})
}

// text reads a flexText sent as a string or null.
func (s *scanner) text(t *flexText) bool {
	if s.null() {
		*t = ""
		return true
	}
	v, ok := s.str()
	*t = flexText(v)
	return ok
}

// usage reads the usage object (or null).
func (s *scanner) usage(out *wireResponse) bool {
	if s.null() {
		out.Usage = nil
		return true
	}
	u := &wireUsage{}
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
		}
		return !foldsTo(k, "prompt_tokens", "completion_tokens") && s.skip(0)
	})
	out.Usage = u
	return ok
}
