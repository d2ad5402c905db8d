package echo

import (
	"fmt"
	"strings"
)

// Difficulty thresholds of the echo analyzer, in words of the last user
// turn of the conversation it is shown.
const (
	trivialWords = 8
	hardWords    = 60
)

// analyzed answers an analyzer prompt: a fixed temperature and a difficulty
// from the length of the last user turn (short is trivial, long is hard), so
// adaptive routing can be tried offline with --demo.
func analyzed(prompt string) string {
	n := len(strings.Fields(lastUserTurn(prompt)))
	difficulty := "normal"
	switch {
	case n <= trivialWords:
		difficulty = "trivial"
	case n > hardWords:
		difficulty = "hard"
	}
	return fmt.Sprintf(`{"temperature": 0.7, "task_type": "general", "difficulty": %q, "reasoning": "echo provider: %d words in the last message"}`,
		difficulty, n)
}

// lastUserTurn finds the text after the last "User: " of the rendered
// conversation in a stage prompt, up to the prompt's closing instructions.
func lastUserTurn(prompt string) string {
	i := strings.LastIndex(prompt, "User: ")
	if i < 0 {
		return prompt
	}
	turn := prompt[i+len("User: "):]
	if end := strings.Index(turn, "\n\nReply with"); end >= 0 {
		turn = turn[:end]
	}
	return turn
}
