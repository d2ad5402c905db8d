package fakeupstream

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
)

// Answer is what the fake answers: the deterministic reply to a request,
// a Config.Script answer, or (written by a Dialect) a whole answer or one
// piece of a scripted stream.
type Answer struct {
	Text      string
	Reasoning string // reasoning_content (OpenAI), thinking (Ollama)
	Calls     []Call // tool calls (KindToolCall, or a Config.Script answer)
	Finish    string // "stop" or "tool_calls"; empty: by the calls
	PromptTok int
	OutputTok int
}

// finish is the answer's finish reason: Finish, else tool_calls when it
// calls tools, else stop.
func (a Answer) finish() string {
	switch {
	case a.Finish != "":
		return a.Finish
	case len(a.Calls) > 0:
		return "tool_calls"
	}
	return "stop"
}

// Call is one tool call of an answer.
type Call struct {
	// Index is an OpenAI stream fragment's index (Dialect.WriteChunk).
	Index int
	ID    string
	Name  string
	Args  string // JSON object text (sent as it is, also when it is not valid JSON)
}

// ToolAnswer is an answer calling tools, with the usage counted like AnswerFor's.
func ToolAnswer(r Request, text string, calls ...Call) Answer {
	a := Answer{Text: text, Calls: calls, Finish: "tool_calls", PromptTok: countWords(joinContents(r.Messages))}
	if len(calls) == 0 {
		a.Finish = "stop"
	}
	a.OutputTok = max(1, countWords(text)+len(calls))
	return a
}

// TextAnswer is a plain text answer, with the usage counted like AnswerFor's.
func TextAnswer(r Request, text string) Answer { return ToolAnswer(r, text) }

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
		a.Calls = []Call{{ID: fmt.Sprintf("call_%08x", hash(r.Model, r.LastUser())), Name: r.Tools[0], Args: string(args)}}
		a.Finish = "tool_calls"
	case KindToolResult:
		a.Text = fmt.Sprintf("%s read the tool result: %s", r.Model, r.Messages[len(r.Messages)-1].Content)
	default:
		temp := "none"
		if r.Temperature != nil {
			temp = fmt.Sprintf("%.2f", *r.Temperature)
		}
		a.Text = fmt.Sprintf("%s answers %08x at temperature %s.", r.Model, hash(r.Model, joinContents(r.Messages)), temp)
	}
	a.OutputTok = countWords(a.Text)
	for _, c := range a.Calls {
		a.OutputTok += countWords(c.Args)
	}
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
