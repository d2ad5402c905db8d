package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

var jsonStringSeeds = []string{
	"", "plain", `"quoted" and \back\slash`, "\b\f\n\r\t\x00\x01\x1f\x7f", "<b>&amp;</b>",
	"ünï ✓ 日本語 😀", "bad \xff\xfe utf8", "cut \xe2\x82", "\u2028 and \u2029", "\xed\xa0\x80", "a\u0080b",
}

// appendJSONString must write what the stream encoders' json.Encoder writes.
func TestAppendJSONString_matches_the_stream_encoder(t *testing.T) {
	for _, s := range jsonStringSeeds {
		t.Run(s, func(t *testing.T) { requireSameAsEncoder(t, s) })
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringSeeds {
		f.Add(s)
	}
	f.Fuzz(requireSameAsEncoder)
}

func requireSameAsEncoder(t *testing.T, s string) {
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(s))
	require.Equal(t, bytes.TrimSuffix(want.Bytes(), []byte("\n")), appendJSONString(nil, s))
}
