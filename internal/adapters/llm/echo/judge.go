package echo

import (
	"strings"
)

// Markers of the pairwise judge prompt of `chorus eval`.
const (
	judgeFirst  = "\n=== Answer 1 ===\n"
	judgeSecond = "\n=== Answer 2 ===\n"
)

// isJudgePrompt recognises `chorus eval`'s pairwise judge prompt.
func isJudgePrompt(s string) bool {
	return strings.Contains(s, judgeFirst) && strings.Contains(s, judgeSecond) && strings.Contains(s, `"verdict"`)
}

// judged answers a judge prompt deterministically and without regard to
// order: the answer with more words wins, equal lengths tie. It is a
// stand-in so `chorus eval --demo` runs offline, not a judgement of quality.
func judged(prompt string) string {
	_, rest, _ := strings.Cut(prompt, judgeFirst)
	first, second, _ := strings.Cut(rest, judgeSecond)
	if i := strings.LastIndex(second, "\n\nReply with"); i >= 0 {
		second = second[:i]
	}
	a, b := len(strings.Fields(first)), len(strings.Fields(second))
	switch {
	case a > b:
		return `{"verdict": "1", "reason": "echo judge: the longer answer wins"}`
	case b > a:
		return `{"verdict": "2", "reason": "echo judge: the longer answer wins"}`
	}
	return `{"verdict": "tie", "reason": "echo judge: equal lengths"}`
}
