package echo

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// maxEcho bounds how much of the last user message is echoed (in runes).
const maxEcho = 200

// Answers to the workflow's own stages. They are valid JSON in the shapes
// the analyzer and selector parsers read.
const (
	selectorAnswer = `{"selected_index": 1, "reasoning": "echo provider: picks the first candidate deterministically"}`
)

// answer returns the deterministic reply to a conversation.
func answer(model string, msgs []domain.Message) string {
	last := lastUser(msgs)
	switch {
	case isJudgePrompt(last):
		return judged(last)
	case isSelectorPrompt(last):
		return selectorAnswer
	case isAnalyzerPrompt(last):
		return analyzed(last)
	case isSynthesizerPrompt(last):
		return synthesized(model, msgs, last)
	}
	echoed := strings.Join(strings.Fields(last), " ")
	if n := len([]rune(echoed)); n > maxEcho {
		echoed = string([]rune(echoed)[:maxEcho]) + "…"
	}
	if echoed == "" {
		echoed = "(no user message)"
	}
	return "[echo " + model + " #" + digest(msgs) + "] You said: " + echoed
}

// isSelectorPrompt recognises the selector stage's prompt: it names
// selected_index, or lists neutral candidate labels and asks for JSON. The
// synthesizer also lists "Response A" but asks for prose, so it gets an echo.
func isSelectorPrompt(s string) bool {
	return strings.Contains(s, "selected_index") ||
		(strings.Contains(s, "Response A") && strings.Contains(strings.ToLower(s), "json"))
}

// isSynthesizerPrompt recognises the synthesizer stage's prompt: it lists
// neutral candidate labels and asks for prose rather than JSON.
func isSynthesizerPrompt(s string) bool {
	return strings.Contains(s, "=== Response A ===") && !strings.Contains(strings.ToLower(s), "json")
}

// synthesized answers a synthesizer prompt with its strongest draft (the
// first one listed) and the number of drafts, so the demo's final answer
// shows which worker the workflow kept.
func synthesized(model string, msgs []domain.Message, prompt string) string {
	drafts := strings.Count(prompt, "\n=== Response ")
	best := prompt[strings.Index(prompt, "=== Response A ===")+len("=== Response A ==="):]
	if end := strings.Index(best, "\n\n"); end >= 0 {
		best = best[:end]
	}
	best = strings.Join(strings.Fields(best), " ")
	return "[echo " + model + " #" + digest(msgs) + "] Best of " + strconv.Itoa(drafts) + " drafts: " + best
}

// isAnalyzerPrompt recognises the analyzer stage's prompt: it mentions
// temperature and asks for JSON.
func isAnalyzerPrompt(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "temperature") && strings.Contains(l, "json")
}

// lastUser returns the content of the last user message.
func lastUser(msgs []domain.Message) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == domain.RoleUser {
			return msgs[i].Content
		}
	}
	return ""
}

// digest is the first 8 hex digits of the SHA-256 of the conversation.
func digest(msgs []domain.Message) string {
	h := sha256.New()
	for _, m := range msgs {
		h.Write([]byte(m.Role))
		h.Write([]byte{0})
		h.Write([]byte(m.Content))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:8]
}

// words counts the words of a conversation.
func words(msgs []domain.Message) int {
	n := 0
	for _, m := range msgs {
		n += len(strings.Fields(m.Content))
	}
	return n
}

// chunks splits text at word starts into at most maxChunks pieces whose
// concatenation is text.
func chunks(text string, maxChunks int) []string {
	starts := []int{0}
	for i := 1; i < len(text); i++ {
		if text[i-1] == ' ' && text[i] != ' ' {
			starts = append(starts, i)
		}
	}
	per := (len(starts) + maxChunks - 1) / maxChunks
	if per < 1 {
		per = 1
	}
	out := make([]string, 0, maxChunks)
	for i := 0; i < len(starts); i += per {
		end := len(text)
		if i+per < len(starts) {
			end = starts[i+per]
		}
		out = append(out, text[starts[i]:end])
	}
	return out
}
