package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Tool choices a request can make (Chat Completions' tool_choice; the HTTP
// adapter converts the Responses and Ollama forms to it).
const (
	choiceAuto     = "auto"
	choiceNone     = "none"
	choiceRequired = "required"
	choiceFunction = "function" // one named function is forced
)

// toolPolicy is what a request's tools, tool_choice and parallel_tool_calls
// allow a worker to answer. A worker answer that breaks it is a failed
// candidate (domain.ErrInvalidToolAnswer) with the reason in the trace.
type toolPolicy struct {
	offered  map[string]bool
	choice   string
	forced   string // the function name when choice is choiceFunction
	parallel bool   // more than one call per answer is allowed
}

func newToolPolicy(p domain.Params) toolPolicy {
	tp := toolPolicy{choice: choiceAuto, parallel: !p.ParallelToolCalls.Set || p.ParallelToolCalls.Value}
	if len(p.Tools) > 0 {
		tp.offered = make(map[string]bool, len(p.Tools))
		for _, t := range p.Tools {
			tp.offered[t.Name] = true
		}
	}
	tp.choice, tp.forced = parseToolChoice(p.ToolChoice)
	return tp
}

// parseToolChoice reads "none"/"auto"/"required" or a named function
// ({"type":"function","function":{"name":"f"}}). Anything else (absent,
// "allowed_tools", …) leaves the model free: auto.
func parseToolChoice(raw domain.RawJSON) (choice, forced string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return choiceAuto, ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch s {
		case choiceNone, choiceRequired:
			return s, ""
		}
		return choiceAuto, ""
	}
	var obj struct {
		Type     string `json:"type"`
		Name     string `json:"name"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if json.Unmarshal(raw, &obj) != nil || obj.Type != choiceFunction {
		return choiceAuto, ""
	}
	name := obj.Function.Name
	if name == "" {
		name = obj.Name
	}
	if name == "" {
		return choiceAuto, ""
	}
	return choiceFunction, name
}

// check validates a worker's answer against the policy and returns its tool
// calls with whitespace-trimmed arguments ("" becomes "{}").
func (tp toolPolicy) check(text string, calls []domain.ToolCall) ([]domain.ToolCall, error) {
	switch {
	case len(calls) == 0 && (tp.choice == choiceRequired || tp.choice == choiceFunction) && len(tp.offered) > 0:
		return nil, invalidTool("tool_choice %s asked for a tool call but the worker answered text", tp.choiceName())
	case len(calls) == 0:
		if strings.TrimSpace(text) == "" {
			return nil, invalidTool("the worker answered neither text nor tool calls")
		}
		return nil, nil
	case len(tp.offered) == 0:
		return nil, invalidTool("the worker called %s but the request offered no tools", calls[0].Name)
	case tp.choice == choiceNone:
		return nil, invalidTool("tool_choice none but the worker called %s", calls[0].Name)
	case len(calls) > 1 && !tp.parallel:
		return nil, invalidTool("parallel_tool_calls is false but the worker made %d calls", len(calls))
	}
	out := make([]domain.ToolCall, len(calls))
	for i, c := range calls {
		switch {
		case !tp.offered[c.Name]:
			return nil, invalidTool("the worker called %q, which the request did not offer", c.Name)
		case tp.choice == choiceFunction && c.Name != tp.forced:
			return nil, invalidTool("tool_choice forces %q but the worker called %q", tp.forced, c.Name)
		}
		args := strings.TrimSpace(c.Arguments)
		if args == "" {
			args = "{}"
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(args), &obj) != nil || obj == nil {
			return nil, invalidTool("malformed arguments for %s: not a JSON object (%d bytes)", c.Name, len(c.Arguments))
		}
		c.Arguments = args
		out[i] = c
	}
	return out, nil
}

func (tp toolPolicy) choiceName() string {
	if tp.choice == choiceFunction {
		return fmt.Sprintf("%q", tp.forced)
	}
	return tp.choice
}

func invalidTool(format string, a ...any) error {
	return fmt.Errorf("%w: %s", domain.ErrInvalidToolAnswer, fmt.Sprintf(format, a...))
}

// finalToolCalls numbers the selected candidate's calls for the client and
// makes their ids unique: a missing or repeated id (Ollama sends none) is
// replaced by one derived from the workflow id.
func finalToolCalls(workflowID string, calls []domain.ToolCall) []domain.ToolCall {
	out := make([]domain.ToolCall, len(calls))
	seen := make(map[string]bool, len(calls))
	for i, c := range calls {
		c.Index = i
		if c.ID == "" || seen[c.ID] {
			c.ID = fmt.Sprintf("call_%.12s_%d", workflowID, i)
		}
		seen[c.ID] = true
		out[i] = c
	}
	return out
}

// toolCallTraces records calls by name and argument size only.
func toolCallTraces(calls []domain.ToolCall) []domain.ToolCallTrace {
	if len(calls) == 0 {
		return nil
	}
	out := make([]domain.ToolCallTrace, len(calls))
	for i, c := range calls {
		out[i] = domain.ToolCallTrace{Name: c.Name, ArgumentBytes: len(c.Arguments)}
	}
	return out
}

// candidateText is a candidate as the selector and synthesizer read it: its
// text, then each tool call written out as function name and JSON arguments.
func candidateText(text string, calls []domain.ToolCall) string {
	if len(calls) == 0 {
		return text
	}
	var b strings.Builder
	b.WriteString(text)
	for _, c := range calls {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "[tool call] %s(%s)", c.Name, c.Arguments)
	}
	return b.String()
}
