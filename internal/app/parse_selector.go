package app

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

var (
	indexKeys = []string{"selected_index", "index", "choice", "selected", "best_index", "best"}
	labelKeys = []string{"selected_label", "label", "selected_response_label", "selected_worker", "answer"}
	// labelInText finds "Response B" in prose (the letter must be upper case).
	labelInText = regexp.MustCompile(`\b[Rr]esponse\s+([A-Z]{1,2})\b`)
	digitRun    = regexp.MustCompile(`[0-9]+`)
)

// parseSelection reads the selector's choice among n candidates: the first
// JSON object's index keys (a 1-based number, a letter "B" or a label
// "Response B"), else its label keys; else, in the text, the first valid
// "Response X" label, then the first run of digits within 1..n.
func parseSelection(text string, n int) (domain.Selection, bool) {
	if obj, ok := firstJSONObject(text); ok {
		if v, found := findKeyed(obj, indexKeys); found {
			if idx, ok := candidateIndex(v, n); ok {
				return domain.Selection{Index: idx, Reasoning: textOf(obj, reasoningKeys)}, true
			}
			return textSelection(text, n) // an invalid first index ends the JSON search
		}
		if v, found := findKeyed(obj, labelKeys); found {
			if idx, ok := domain.CandidateIndex(stringify(v), n); ok {
				return domain.Selection{Index: idx, Reasoning: textOf(obj, reasoningKeys)}, true
			}
		}
	}
	return textSelection(text, n)
}

// candidateIndex accepts a 1-based number (integral float or digit string)
// or a neutral label, and returns a 0-based index.
func candidateIndex(v any, n int) (int, bool) {
	switch t := v.(type) {
	case float64:
		if t >= 1 && t <= float64(n) && t == float64(int(t)) {
			return int(t) - 1, true
		}
	case string:
		s := strings.TrimSpace(t)
		if idx, ok := ordinal(s, n); ok {
			return idx, true
		}
		return domain.CandidateIndex(s, n) // never accepts digits
	}
	return 0, false
}

// textSelection is the prose fallback; the whole reply is the reasoning.
func textSelection(text string, n int) (domain.Selection, bool) {
	reason := strings.TrimSpace(text)
	for _, m := range labelInText.FindAllStringSubmatch(text, -1) {
		if idx, ok := domain.CandidateIndex(m[1], n); ok {
			return domain.Selection{Index: idx, Reasoning: reason}, true
		}
	}
	for _, run := range digitRun.FindAllString(text, -1) {
		if idx, ok := ordinal(run, n); ok {
			return domain.Selection{Index: idx, Reasoning: reason}, true
		}
	}
	return domain.Selection{}, false
}

// ordinal parses a 1-based candidate number into a 0-based index.
func ordinal(s string, n int) (int, bool) {
	u, err := strconv.ParseUint(s, 10, 32)
	return int(u) - 1, err == nil && u >= 1 && u <= uint64(n)
}
