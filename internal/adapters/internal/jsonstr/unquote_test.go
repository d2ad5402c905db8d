package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// unquoteSeeds are literals (valid and not) that exercise every branch.
var unquoteSeeds = []string{
	`""`, `"plain"`, `"a\"b\\c\/d"`, `"\b\f\n\r\t"`, `"\u00e9\u00E9"`, `"\ud83d\ude00 smile"`,
	`"\ud83d alone"`, `"\ude00 low alone"`, `"\ud83d\u0041"`, `"\ud83d\ud83d"`, `"ünï ✓ 日本"`,
	"\"bad utf8 \xff\xfe end\"", "\"cut \xe2\x82\"", `"\x"`, `"\u12"`, `"\u12g4"`, `"tab` + "\t" + `inside"`,
	`"quote " inside"`, `"ends with backslash\"`, `"`, `plain`, `"\\"`, `"\\\""`, `"\u0000"`, `"\u2028\u2029"`,
	"\"\xed\xa0\x80 encoded surrogate\"", `"a\ud800"`, `"\ud800\"`, "\"bad utf8 \xff end\"",
}

// Unquote and Decode must agree with encoding/json on every literal json
// accepts and Unquote must reject every literal json rejects.
func TestUnquote_matches_encoding_json(t *testing.T) {
	for _, lit := range unquoteSeeds {
		t.Run(lit, func(t *testing.T) { requireSameAsJSON(t, []byte(lit)) })
	}
}

func FuzzUnquote(f *testing.F) {
	for _, lit := range unquoteSeeds {
		f.Add([]byte(lit))
	}
	f.Fuzz(func(t *testing.T, lit []byte) { requireSameAsJSON(t, lit) })
}

func requireSameAsJSON(t *testing.T, lit []byte) {
	t.Helper()
	lit = bytes.Trim(lit, " \t\r\n") // the JSON decoder hands over the bare literal
	var want string
	jerr := json.Unmarshal(lit, &want)
	got, ok := Unquote(lit)
	require.Equal(t, ok, ValidString(lit), "ValidString agrees with Unquote on %q", lit)
	if jerr != nil {
		require.False(t, ok, "accepted %q that encoding/json rejects (%v)", lit, jerr)
		require.EqualError(t, Decode(lit, new(string)), jerr.Error(), "Decode reports encoding/json's own error")
		return
	}
	require.True(t, ok, "rejected %q", lit)
	require.Equal(t, want, got)
	var viaDecode string
	require.NoError(t, Decode(lit, &viaDecode))
	require.Equal(t, want, viaDecode)
}
