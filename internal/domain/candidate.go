package domain

import "strings"

// CandidateLabelPrefix starts every neutral candidate label ("Response A").
const CandidateLabelPrefix = "Response "

// Candidate is one successful worker answer offered to the selector and the
// synthesizer. Label is neutral ("Response A") so that judges see content,
// never model names; Node is the worker's node label, kept for the trace.
type Candidate struct {
	Label     string
	Node      string
	Worker    int // index of the worker in its plan's configuration order
	Text      string
	ToolCalls []ToolCall // the actions the worker chose; checked against the request's tools
}

// Selection is the candidate a plan settled on.
type Selection struct {
	Index     int // 0-based index into the candidates
	Reasoning string
}

// CandidateLetters returns the letters of the i-th (0-based) neutral label:
// A..Z, then AA, AB, … like spreadsheet columns.
func CandidateLetters(i int) string {
	var b [8]byte
	n := len(b)
	for i >= 0 {
		n--
		b[n] = byte('A' + i%26)
		i = i/26 - 1
	}
	return string(b[n:])
}

// CandidateLabel returns the i-th (0-based) neutral label, e.g. "Response B".
func CandidateLabel(i int) string { return CandidateLabelPrefix + CandidateLetters(i) }

// CandidateIndex parses a label ("Response B", "response b", "B") into its
// 0-based index; ok is false when s is not a label of one of n candidates.
func CandidateIndex(s string, n int) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= len(CandidateLabelPrefix) && strings.EqualFold(s[:len(CandidateLabelPrefix)], CandidateLabelPrefix) {
		s = strings.TrimSpace(s[len(CandidateLabelPrefix):])
	}
	if s == "" || len(s) > 4 {
		return 0, false
	}
	idx := 0
	for _, r := range strings.ToUpper(s) {
		if r < 'A' || r > 'Z' {
			return 0, false
		}
		idx = idx*26 + int(r-'A'+1)
	}
	idx--
	if idx >= n {
		return 0, false
	}
	return idx, true
}
