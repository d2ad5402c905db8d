package fakeupstream

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
)

// Answer is the deterministic reply the fake gives to a request.
type Answer struct {
	Text      string
	ToolName  string // set for KindToolCall
	ToolArgs  string // JSON object text
	ToolID    string
	Finish    string // "stop" or "tool_calls"
	PromptTok int
	OutputTok int
}

// AnalyzerTemperature is the temperature the fake analyzer suggests.
const AnalyzerTemperature = 0.7

// SelectedIndex is the 1-based candidate the fake selector picks.
const SelectedIndex = 1

// AnswerFor returns the reply a Server gives to r. Tests use it to compute
// expected texts instead of hard-coding them.
func AnswerFor(r Request) Answer {
	a := Answer{Finish: "stop", PromptTok: countWords(joinContents(r.Messages))}
	switch r.Kind {
	case KindAnalyzer:
		a.Text = fmt.Sprintf(`{"temperature": %.1f, "reasoning": "balanced task"}`, AnalyzerTemperature)
	case KindSelector:
		if strings.Contains(joinContents(r.Messages), "selected_index") {
			a.Text = fmt.Sprintf(`{"selected_index": %d, "selected_worker": "first", "reasoning": "most complete"}`, SelectedIndex)
		} else {
			a.Text = fmt.Sprintf(`{"choice": "%c", "reason": "most complete"}`, 'A'+SelectedIndex-1)
		}
	case KindToolCall:
		args, _ := json.Marshal(map[string]string{"query": strings.TrimSpace(strings.ReplaceAll(r.LastUser(), ToolTrigger, ""))})
		a.ToolName = r.Tools[0]
		a.ToolArgs = string(args)
		a.ToolID = fmt.Sprintf("call_%08x", hash(r.Model, r.LastUser()))
		a.Finish = "tool_calls"
	default:
		temp := "none"
		if r.Temperature != nil {
			temp = fmt.Sprintf("%.2f", *r.Temperature)
		}
		a.Text = fmt.Sprintf("%s answers %08x at temperature %s.", r.Model, hash(r.Model, joinContents(r.Messages)), temp)
	}
	a.OutputTok = countWords(a.Text + a.ToolArgs)
	if a.OutputTok == 0 {
		a.OutputTok = 1
	}
	return a
}

// Chunks splits text into n pieces (n <= 0: one piece per word, spaces kept)
// whose concatenation is text.
func Chunks(text string, n int) []string {
	if text == "" {
		return nil
	}
	if n <= 0 {
		var out []string
		start := 0
		for i := 1; i < len(text); i++ {
			if text[i] == ' ' {
				out = append(out, text[start:i])
				start = i
			}
		}
		return append(out, text[start:])
	}
	runes := []rune(text)
	if n > len(runes) {
		n = len(runes)
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, string(runes[i*len(runes)/n:(i+1)*len(runes)/n]))
	}
	return out
}

func hash(parts ...string) uint32 {
	h := fnv.New32a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum32()
}

func countWords(s string) int { return len(strings.Fields(s)) }
