package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// ValidationError reports every problem found in one configuration at once,
// so a user can fix the file in a single pass. Each problem is one sentence.
type ValidationError struct {
	// Path is the file that was checked; empty for the embedded demo config.
	Path string
	// Problems lists every problem, one sentence each, in discovery order.
	Problems []string
}

// Error implements error: a header naming the file, then one problem per line.
func (e *ValidationError) Error() string {
	src := e.Path
	if src == "" {
		src = "embedded demo config"
	}
	noun := "problems"
	if len(e.Problems) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("invalid configuration %s (%d %s):\n  %s",
		src, len(e.Problems), noun, strings.Join(e.Problems, "\n  "))
}

// problems collects validation problems for one file; pos may prefix a
// problem with the file position of the key it is about.
type problems struct {
	file string
	pos  positions
	list []string
	at   []at // position of each entry of list; zero when unknown
	// lenientEnv turns unset ${NAME} references into warnings.
	lenientEnv bool
	warnings   []string
}

// add records one problem without a position.
func (p *problems) add(format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
	p.at = append(p.at, at{})
}

// addAt records a problem prefixed by the file position of key when known.
func (p *problems) addAt(key string, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	where, ok := p.pos.nearest(key)
	if ok {
		msg = fmt.Sprintf("%s:%d:%d: %s", p.fileName(), where.line, where.col, msg)
	}
	p.list = append(p.list, msg)
	p.at = append(p.at, where)
}

// warn records a non-fatal finding (Settings.Warnings).
func (p *problems) warn(format string, args ...any) {
	p.warnings = append(p.warnings, fmt.Sprintf(format, args...))
}

func (p *problems) fileName() string {
	if p.file == "" {
		return "demo.toml"
	}
	return p.file
}

// err returns nil when nothing was recorded, else a *ValidationError whose
// problems are in file order, the ones without a position last.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	idx := make([]int, len(p.list))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) int {
		if p.at[i].line == 0 {
			return int(^uint(0) >> 1)
		}
		return p.at[i].line*10000 + p.at[i].col
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(key(a), key(b)) })
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = p.list[j]
	}
	return &ValidationError{Path: p.file, Problems: out}
}
