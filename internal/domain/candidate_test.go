package domain

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCandidateLabelsAreNeutralLetters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		i    int
		want string
	}{{0, "Response A"}, {1, "Response B"}, {25, "Response Z"}, {26, "Response AA"}, {27, "Response AB"}, {52, "Response BA"}}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, CandidateLabel(tc.i))
			idx, ok := CandidateIndex(tc.want, 100)
			require.True(t, ok)
			require.Equal(t, tc.i, idx)
		})
	}
}

func TestCandidateIndexParsesLabelsLeniently(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		n    int
		want int
		ok   bool
	}{
		{"a bare letter", "B", 3, 1, true},
		{"a lower-case label", " response c ", 3, 2, true},
		{"a letter past the candidates", "D", 3, 0, false},
		{"a digit", "2", 3, 0, false},
		{"an empty string", "", 3, 0, false},
		{"a word", "Response Best", 3, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := CandidateIndex(tc.in, tc.n)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}
