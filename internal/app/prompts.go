package app

import (
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Prompt templates are Go text/template sources. Overrides in
// [workflow.prompts] may use these fields:
//
//	analyzer:    .Conversation .LastUserMessage
//	selector:    .Conversation .LastUserMessage .Candidates (each .Label .Text)
//	synthesizer: .Conversation .LastUserMessage .Best (.Label .Text) .Others (each .Label .Text) .Reason
//
// Candidates only ever carry neutral labels ("Response A"), never model names.
type promptData struct {
	Conversation    string
	LastUserMessage string
	Candidates      []promptCandidate
	Best            promptCandidate
	Others          []promptCandidate
	Reason          string
}

type promptCandidate struct{ Label, Text string }

// prompts holds the three stage prompts.
type prompts struct {
	analyzer, selector, synthesizer stagePrompt
}

// stagePrompt renders one stage's prompt: the built-in renderer of a
// default prompt, or the parsed template of an override.
type stagePrompt struct {
	name    string
	tpl     *template.Template                  // an override; nil for the default
	builtin func(*strings.Builder, *promptData) // the default, rendered by hand
}

// newPrompts parses the overriding templates and renders each once with
// sample data, so that a bad override fails at start-up; stages without an
// override use the built-in renderer of the default prompt.
func newPrompts(o domain.Prompts) (*prompts, error) {
	var p prompts
	for _, t := range []struct {
		name, override string
		builtin        func(*strings.Builder, *promptData)
		dst            *stagePrompt
	}{
		{"analyzer", o.Analyzer, builtinAnalyzer, &p.analyzer},
		{"selector", o.Selector, builtinSelector, &p.selector},
		{"synthesizer", o.Synthesizer, builtinSynthesizer, &p.synthesizer},
	} {
		*t.dst = stagePrompt{name: t.name, builtin: t.builtin}
		if strings.TrimSpace(t.override) == "" {
			continue
		}
		tpl, err := parsePrompt(t.name, t.override)
		if err != nil {
			return nil, err
		}
		*t.dst = stagePrompt{name: t.name, tpl: tpl}
	}
	return &p, nil
}

// parsePrompt parses a prompt template and renders it once with sample data.
func parsePrompt(name, src string) (*template.Template, error) {
	tpl, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s prompt template: %w", name, err)
	}
	if err := tpl.Execute(io.Discard, samplePromptData()); err != nil {
		return nil, fmt.Errorf("%s prompt template: %w", name, err)
	}
	return tpl, nil
}

func samplePromptData() promptData {
	a, b := promptCandidate{"Response A", "a"}, promptCandidate{"Response B", "b"}
	return promptData{Conversation: "User: hi", LastUserMessage: "hi", Candidates: []promptCandidate{a, b}, Best: a, Others: []promptCandidate{b}, Reason: "r"}
}

// render renders a stage prompt into a single user message.
func render(p stagePrompt, d *promptData) ([]domain.Message, error) {
	var b strings.Builder
	b.Grow(promptSize(d))
	if p.tpl == nil {
		p.builtin(&b, d)
	} else if err := p.tpl.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("render %s prompt: %w", p.name, err)
	}
	return []domain.Message{{Role: domain.RoleUser, Content: b.String()}}, nil
}

// promptSize estimates a rendered prompt's length so that it is built in
// one allocation.
func promptSize(d *promptData) int {
	n := 2048 + 2*len(d.Conversation) + len(d.Reason)
	for _, c := range d.Candidates {
		n += len(c.Text) + 64
	}
	return n
}

// renderConversation flattens the conversation for the stage prompts (the
// workers get the real messages).
func renderConversation(msgs []domain.Message) string {
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(roleTitle(m.Role))
		b.WriteString(": ")
		b.WriteString(m.Content)
		for _, tc := range m.ToolCalls {
			fmt.Fprintf(&b, "\n[tool call %s(%s)]", tc.Name, tc.Arguments)
		}
	}
	return b.String()
}

func roleTitle(r domain.Role) string {
	switch r {
	case domain.RoleSystem:
		return "System"
	case domain.RoleUser:
		return "User"
	case domain.RoleAssistant:
		return "Assistant"
	case domain.RoleTool:
		return "Tool"
	}
	return string(r)
}

// lastUserMessage returns the content of the last user turn.
func lastUserMessage(msgs []domain.Message) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == domain.RoleUser {
			return msgs[i].Content
		}
	}
	return ""
}
