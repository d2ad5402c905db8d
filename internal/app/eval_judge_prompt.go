package app

import (
	"regexp"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// The judge sees two anonymous answers ("Answer 1", "Answer 2"), never model
// names, and a rubric that puts correctness first and warns against the
// known judge biases (order, length, style).
const (
	judgeHead = "You are an impartial expert judge. Compare two answers to the last message of the conversation below and decide which one is better.\n\n" +
		"Rubric, in order of importance:\n" +
		"1. Correctness: facts, reasoning, code and arithmetic must be right; an answer with an error loses to a correct one.\n" +
		"2. Helpfulness: it does what was asked, completely, following every instruction and constraint.\n" +
		"3. Clarity: well organised and no longer than needed.\n" +
		"Do not let the order of the answers, their length or their tone influence you. If both are equally good or equally bad, say tie.\n\n" +
		"Conversation:\n"
	judgeReference = "\n\nReference answer (written by a person; trust it over either answer):\n"
	judgeTail      = "\n\nReply with only a JSON object and nothing else, shaped like:\n" +
		`{"verdict": "1" or "2" or "tie", "reason": "<one short sentence>"}` + "\n"
)

// judgePrompt renders the pairwise judge prompt of one ordering.
func judgePrompt(job judgeJob) string {
	var b strings.Builder
	b.Grow(len(judgeHead) + len(job.first) + len(job.second) + 1024)
	b.WriteString(judgeHead)
	b.WriteString(renderConversation(job.prompt.Messages))
	if ref := strings.TrimSpace(job.prompt.Reference); ref != "" {
		b.WriteString(judgeReference)
		b.WriteString(ref)
	}
	b.WriteString("\n\n=== Answer 1 ===\n")
	b.WriteString(job.first)
	b.WriteString("\n\n=== Answer 2 ===\n")
	b.WriteString(job.second)
	b.WriteString(judgeTail)
	return b.String()
}

var (
	verdictKeys = []string{"verdict", "winner", "better", "preferred", "best", "choice", "result", "answer"}
	// answerInText finds "Answer 2" in prose.
	answerInText = regexp.MustCompile(`(?i)\banswer\s*([12])\b`)
	tieInText    = regexp.MustCompile(`(?i)\b(tie|draw|equal(ly)?|neither|both)\b`)
)

// parseVerdict reads the judge's reply like the selector's: the first JSON
// object's verdict keys ("1", "2", 1, 2, "A", "B", "Answer 2", "tie",
// "draw", "equal", 0), else in the prose the first "Answer N" or a tie word,
// whichever comes first.
func parseVerdict(text string) (domain.Verdict, string, bool) {
	if obj, ok := firstJSONObject(text); ok {
		if v, found := findKeyed(obj, verdictKeys); found {
			if verdict, ok := verdictOf(stringify(v)); ok {
				return verdict, textOf(obj, reasoningKeys), true
			}
		}
	}
	reason := strings.TrimSpace(text)
	a := answerInText.FindStringSubmatchIndex(text)
	t := tieInText.FindStringIndex(text)
	switch {
	case a != nil && (t == nil || a[0] < t[0]):
		if text[a[2]] == '1' {
			return domain.VerdictFirst, reason, true
		}
		return domain.VerdictSecond, reason, true
	case t != nil:
		return domain.VerdictTie, reason, true
	}
	return "", "", false
}

// verdictOf maps one verdict value to a Verdict.
func verdictOf(s string) (domain.Verdict, bool) {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), `"'.`))
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "answer"), "response"))
	switch s {
	case "1", "a", "first":
		return domain.VerdictFirst, true
	case "2", "b", "second":
		return domain.VerdictSecond, true
	case "tie", "0", "draw", "equal", "both", "neither", "same", "none":
		return domain.VerdictTie, true
	}
	return "", false
}
