package evaluation

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// maxPromptLine bounds one JSONL line (a prompt with its conversation).
const maxPromptLine = 4 << 20

// promptLine is one line of a prompt file.
type promptLine struct {
	ID       string `json:"id"`
	Prompt   string `json:"prompt"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Reference string `json:"reference"`
}

// ReadPromptFile reads a JSONL prompt file (see ReadPrompts).
func ReadPromptFile(path string) ([]domain.EvalPrompt, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("prompts: %w", err)
	}
	defer f.Close()
	ps, err := ReadPrompts(f)
	if err != nil {
		return nil, fmt.Errorf("prompts %s: %w", path, err)
	}
	return ps, nil
}

// ReadPrompts reads one JSON object per line: {"id", "messages" | "prompt",
// optional "reference"}. Blank lines are skipped; every problem is reported
// with its line number, all at once.
func ReadPrompts(r io.Reader) ([]domain.EvalPrompt, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxPromptLine)
	var out []domain.EvalPrompt
	var problems []error
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		p, err := parsePromptLine(line)
		if err == nil && seen[p.ID] > 0 {
			err = fmt.Errorf("duplicate id %q (first on line %d)", p.ID, seen[p.ID])
		}
		if err != nil {
			problems = append(problems, fmt.Errorf("line %d: %w", n, err))
			continue
		}
		seen[p.ID] = n
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, err)
	}
	if len(out) == 0 && len(problems) == 0 {
		problems = append(problems, errors.New("no prompts"))
	}
	return out, errors.Join(problems...)
}

func parsePromptLine(line string) (domain.EvalPrompt, error) {
	var in promptLine
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return domain.EvalPrompt{}, fmt.Errorf("not a prompt object: %w", err)
	}
	p := domain.EvalPrompt{ID: strings.TrimSpace(in.ID), Reference: in.Reference}
	if p.ID == "" {
		return p, errors.New(`missing "id"`)
	}
	if (in.Prompt == "") == (len(in.Messages) == 0) {
		return p, errors.New(`give exactly one of "prompt" and "messages"`)
	}
	if in.Prompt != "" {
		p.Messages = []domain.Message{{Role: domain.RoleUser, Content: in.Prompt}}
		return p, nil
	}
	for i, m := range in.Messages {
		role := domain.Role(m.Role)
		if role != domain.RoleSystem && role != domain.RoleUser && role != domain.RoleAssistant {
			return p, fmt.Errorf("messages[%d]: role %q is not system, user or assistant", i, m.Role)
		}
		p.Messages = append(p.Messages, domain.Message{Role: role, Content: m.Content})
	}
	if p.Messages[len(p.Messages)-1].Role != domain.RoleUser {
		return p, errors.New("the last message must be the user's")
	}
	return p, nil
}
