package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

var unquoteSeeds = []string{
	`""`, `"plain"`, `"a\"b\\c\/d"`, `"\b\f\n\r\t"`, `"\u00e9\u00E9"`, `"\ud83d\ude00 smile"`,
	`"\ud83d alone"`, `"\ude00 low alone"`, `"\ud83d\u0041"`, "\"bad utf8 \xff end\"", `"\x"`, `"\u12g4"`,
	`"tab` + "\t" + `inside"`, `"quote " inside"`, `"ends with backslash\"`, `"`, `plain`, `"\u0000"`,
}

// decodeJSONString must decode exactly what encoding/json decodes and
// reject what it rejects.
func TestDecodeJSONString_matches_encoding_json(t *testing.T) {
	for _, lit := range unquoteSeeds {
		t.Run(lit, func(t *testing.T) { requireUnquoteLikeJSON(t, []byte(lit)) })
	}
}

func FuzzDecodeJSONString(f *testing.F) {
	for _, lit := range unquoteSeeds {
		f.Add([]byte(lit))
	}
	f.Fuzz(func(t *testing.T, lit []byte) { requireUnquoteLikeJSON(t, lit) })
}

func requireUnquoteLikeJSON(t *testing.T, lit []byte) {
	lit = bytes.Trim(lit, " \t\r\n") // the decoder hands over the bare literal
	var want string
	jerr := json.Unmarshal(lit, &want)
	got, ok := unquoteJSON(lit)
	if jerr != nil {
		require.False(t, ok, "accepted %q that encoding/json rejects", lit)
		return
	}
	require.True(t, ok, "rejected %q", lit)
	require.Equal(t, want, got)
	var viaDecode string
	require.NoError(t, decodeJSONString(lit, &viaDecode))
	require.Equal(t, want, viaDecode)
}
