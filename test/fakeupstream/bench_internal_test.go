package fakeupstream

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFlagAndMarkerScanTheRawBody(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		stream     bool
		marker     uint64
		wantMarker bool
	}{
		{"compact true", `{"stream":true}`, true, 0, false},
		{"spaced true", `{"stream" :  true}`, true, 0, false},
		{"false", `{"stream":false}`, false, 0, false},
		{"key in a string then the real key", `{"content":"\"stream\" word","stream":true}`, true, 0, false},
		{"absent", `{"model":"m"}`, false, 0, false},
		{"marker digits", `{"content":"x bench-id:1234 y"}`, false, 1234, true},
		{"marker without digits", `{"content":"bench-id:x"}`, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.stream, flag([]byte(tt.body), "stream"))
			id, ok := marker([]byte(tt.body))
			require.Equal(t, tt.wantMarker, ok)
			require.Equal(t, tt.marker, id)
		})
	}
}
