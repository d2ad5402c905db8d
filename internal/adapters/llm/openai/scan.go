package openai

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/chorus-ai/chorus/internal/adapters/internal/jsonstr"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// scanner is a small validating JSON reader for the fast decoding paths.
// Every method reports false on anything it does not handle exactly as
// encoding/json would; the caller then falls back to encoding/json.
type scanner struct {
	data []byte
	pos  int
	slot *wire.Text // where a chunk delta's content goes (fastDecodeChunk)
	// escaped reports whether the last literal had a backslash escape.
	escaped bool
}

// The JSON literals.
var (
	litTrue  = []byte("true")
	litFalse = []byte("false")
	litNull  = []byte("null")
)

// maxSkipDepth bounds the nesting of skipped values.
const maxSkipDepth = 32

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte (0 at the end).
func (s *scanner) peek() byte {
	s.ws()
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// consume skips c (after spaces) when it is next.
func (s *scanner) consume(c byte) bool {
	if s.peek() == c {
		s.pos++
		return true
	}
	return false
}

// end reports whether only spaces are left.
func (s *scanner) end() bool { return s.peek() == 0 && s.pos == len(s.data) }

// literal returns the raw bytes of the string literal at the cursor.
func (s *scanner) literal() ([]byte, bool) {
	if s.peek() != '"' {
		return nil, false
	}
	start := s.pos
	s.escaped = false
	for i := start + 1; i < len(s.data); i++ {
		switch c := s.data[i]; {
		case c == '\\':
			s.escaped = true
			i++ // Unquote validates the escape
		case c == '"':
			s.pos = i + 1
			return s.data[start:s.pos], true
		case c < ' ':
			return nil, false
		}
	}
	return nil, false
}

// str decodes the string at the cursor. Without escapes and with valid
// UTF-8 (literal has refused control characters) the text is the literal's
// inside as it is, which utf8.Valid checks much faster than Unquote's
// rune loop; anything else is Unquote's.
func (s *scanner) str() (string, bool) {
	lit, ok := s.literal()
	if !ok {
		return "", false
	}
	if inner := lit[1 : len(lit)-1]; !s.escaped && utf8.Valid(inner) {
		return string(inner), true
	}
	return jsonstr.Unquote(lit)
}

// key reads an object key and its colon. Keys with escapes or non-ASCII
// bytes are refused (encoding/json matches them case-insensitively with
// Unicode folding, which the fast paths do not reproduce).
func (s *scanner) key() ([]byte, bool) {
	lit, ok := s.literal()
	if !ok {
		return nil, false
	}
	inner := lit[1 : len(lit)-1]
	for _, c := range inner {
		if c == '\\' || c >= 0x80 {
			return nil, false
		}
	}
	return inner, s.consume(':')
}

// null consumes a null literal when it is next.
func (s *scanner) null() bool {
	if s.peek() == 'n' && bytes.HasPrefix(s.data[s.pos:], litNull) {
		s.pos += 4
		return true
	}
	return false
}

// integer reads a JSON integer that fits an int; a fraction or exponent
// is refused by Atoi.
func (s *scanner) integer() (int, bool) {
	s.ws()
	start := s.pos
	if !s.number() {
		return 0, false
	}
	n, err := strconv.Atoi(string(s.data[start:s.pos]))
	return n, err == nil
}

// number skips a JSON number: -? int frac? exp?
func (s *scanner) number() bool {
	s.ws()
	d := s.data
	i := s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	i, ok := intPart(d, i)
	if !ok {
		return false
	}
	if i < len(d) && d[i] == '.' {
		if i, ok = digits(d, i+1); !ok {
			return false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i, ok = digits(d, i); !ok {
			return false
		}
	}
	s.pos = i
	return true
}

// intPart reads a number's integer part at i: a lone 0, or digits that do
// not start with 0.
func intPart(d []byte, i int) (int, bool) {
	if i < len(d) && d[i] == '0' {
		return i + 1, true
	}
	return digits(d, i)
}

// digits reads one or more decimal digits at i.
func digits(d []byte, i int) (int, bool) {
	start := i
	for i < len(d) && '0' <= d[i] && d[i] <= '9' {
		i++
	}
	return i, i > start
}

// skip validates and skips any JSON value.
func (s *scanner) skip(depth int) bool {
	if depth > maxSkipDepth {
		return false
	}
	switch s.peek() {
	case '"':
		lit, ok := s.literal()
		return ok && jsonstr.ValidString(lit)
	case '{':
		return s.skipObject(depth)
	case '[':
		return s.skipArray(depth)
	case 't', 'f', 'n':
		for _, w := range literals {
			if bytes.HasPrefix(s.data[s.pos:], w) {
				s.pos += len(w)
				return true
			}
		}
		return false
	default:
		return s.number()
	}
}

// literals are the JSON keywords.
var literals = [][]byte{litTrue, litFalse, litNull}

// skipObject skips the object at the cursor.
func (s *scanner) skipObject(depth int) bool {
	s.pos++
	if s.consume('}') {
		return true
	}
	for {
		if lit, ok := s.literal(); !ok || !jsonstr.ValidString(lit) || !s.consume(':') || !s.skip(depth+1) {
			return false
		}
		if s.consume('}') {
			return true
		}
		if !s.consume(',') {
			return false
		}
	}
}

// skipArray skips the array at the cursor.
func (s *scanner) skipArray(depth int) bool {
	s.pos++
	if s.consume(']') {
		return true
	}
	for {
		if !s.skip(depth + 1) {
			return false
		}
		if s.consume(']') {
			return true
		}
		if !s.consume(',') {
			return false
		}
	}
}

// object calls field for each key of the object at the cursor; field
// reads the value.
func (s *scanner) object(field func(key []byte) bool) bool {
	if !s.consume('{') {
		return false
	}
	if s.consume('}') {
		return true
	}
	for {
		k, ok := s.key()
		if !ok || !field(k) {
			return false
		}
		if s.consume('}') {
			return true
		}
		if !s.consume(',') {
			return false
		}
	}
}

// foldsTo reports whether an ASCII key matches one of names ignoring case
// (how encoding/json matches a struct field; non-ASCII keys never get
// here).
func foldsTo(key []byte, names ...string) bool {
	for _, n := range names {
		if len(n) == len(key) && asciiEqualFold(key, n) {
			return true
		}
	}
	return false
}

// asciiEqualFold compares an ASCII key with a lower-case name of the same
// length, ignoring case.
func asciiEqualFold(key []byte, name string) bool {
	for i := range len(key) {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}
