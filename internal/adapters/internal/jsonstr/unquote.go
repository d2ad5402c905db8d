package jsonstr

import (
	"encoding/json"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Unquote decodes a JSON string literal (with its quotes) exactly as
// encoding/json does: invalid UTF-8 and unpaired surrogates become U+FFFD.
// ok is false for anything that is not a well-formed literal (control
// characters, unknown escapes, a quote inside, missing quotes). Literals
// without escapes are copied in one allocation.
func Unquote(lit []byte) (s string, ok bool) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return "", false
	}
	in := lit[1 : len(lit)-1]
	r := plainPrefix(in)
	if r == len(in) {
		return string(in), true
	}
	b := make([]byte, 0, len(in)+2*utf8.UTFMax)
	b = append(b, in[:r]...)
	for r < len(in) {
		c := in[r]
		switch {
		case c == '\\':
			var n int
			if b, n = appendEscape(b, in[r:]); n == 0 {
				return "", false
			}
			r += n
		case c == '"' || c < ' ':
			return "", false
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(in[r:])
			r += size
			b = utf8.AppendRune(b, rr) // invalid UTF-8 is RuneError: U+FFFD
		}
	}
	return string(b), true
}

// Decode decodes the JSON string literal lit into dst, in one pass when it
// is well-formed; otherwise encoding/json decodes it and its error is
// returned unwrapped (the decoders report it as encoding/json's own).
func Decode(lit []byte, dst *string) error {
	if s, ok := Unquote(lit); ok {
		*dst = s
		return nil
	}
	return json.Unmarshal(lit, dst)
}

// ValidString reports whether lit is a string literal encoding/json
// accepts, without decoding it.
func ValidString(lit []byte) bool {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return false
	}
	in := lit[1 : len(lit)-1]
	for r := 0; r < len(in); r++ {
		switch c := in[r]; {
		case c == '\\':
			if r+1 >= len(in) {
				return false
			}
			switch in[r+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r++
			case 'u':
				if hex4(in[r:]) < 0 {
					return false
				}
				r += 5
			default:
				return false
			}
		case c == '"' || c < ' ':
			return false
		}
	}
	return true
}

// plainPrefix returns the length of the prefix of in that needs no decoding.
func plainPrefix(in []byte) int {
	r := 0
	for r < len(in) {
		c := in[r]
		if c == '\\' || c == '"' || c < ' ' {
			return r
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRune(in[r:])
		if rr == utf8.RuneError && size == 1 {
			return r
		}
		r += size
	}
	return r
}

// appendEscape decodes the escape sequence at the start of in (which starts
// with a backslash) and returns how many bytes it used; 0 when invalid.
func appendEscape(b, in []byte) ([]byte, int) {
	if len(in) < 2 {
		return b, 0
	}
	switch in[1] {
	case '"', '\\', '/':
		return append(b, in[1]), 2
	case 'b':
		return append(b, '\b'), 2
	case 'f':
		return append(b, '\f'), 2
	case 'n':
		return append(b, '\n'), 2
	case 'r':
		return append(b, '\r'), 2
	case 't':
		return append(b, '\t'), 2
	case 'u':
		rr := hex4(in)
		if rr < 0 {
			return b, 0
		}
		if utf16.IsSurrogate(rr) {
			if dec := utf16.DecodeRune(rr, hex4(in[6:])); dec != unicode.ReplacementChar {
				return utf8.AppendRune(b, dec), 12
			}
			rr = unicode.ReplacementChar
		}
		return utf8.AppendRune(b, rr), 6
	}
	return b, 0
}

// hex4 decodes `\uXXXX` at the start of s, or returns -1.
func hex4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
