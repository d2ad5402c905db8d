package readme

import (
	"bufio"
	"fmt"
	"strings"
)

// Marker is the HTML comment that marks the next bash code block of the
// README as runnable offline against the demo server.
const Marker = "<!-- readme-test -->"

// Block is one runnable code block of a Markdown document.
type Block struct {
	// Line is the 1-based line of the block's opening fence.
	Line int
	// Script is the block's text without the fences.
	Script string
}

// MarkedBlocks returns the bash blocks preceded by Marker (blank lines may
// sit between the marker and the fence). A marker not followed by a bash
// fence, or a fence that is never closed, is an error.
func MarkedBlocks(markdown string) ([]Block, error) {
	var (
		blocks  []Block
		marked  int // line of a pending marker, 0 when none
		current *Block
		body    []string
	)
	sc := bufio.NewScanner(strings.NewReader(markdown))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case current != nil && trimmed == "```":
			current.Script = strings.Join(body, "\n") + "\n"
			blocks = append(blocks, *current)
			current, body = nil, nil
		case current != nil:
			body = append(body, line)
		case trimmed == Marker:
			marked = n
		case marked != 0 && trimmed == "":
		case marked != 0 && (trimmed == "```bash" || trimmed == "```sh"):
			current, marked = &Block{Line: n}, 0
		case marked != 0:
			return nil, fmt.Errorf("line %d: %s must be followed by a ```bash block, got %q", marked, Marker, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read markdown: %w", err)
	}
	if current != nil {
		return nil, fmt.Errorf("line %d: code block is never closed", current.Line)
	}
	if marked != 0 {
		return nil, fmt.Errorf("line %d: %s at the end of the document", marked, Marker)
	}
	return blocks, nil
}

// FirstBlock returns the first fenced code block of the document: the
// commands a new user runs first.
func FirstBlock(markdown string) (string, bool) {
	_, rest, ok := strings.Cut(markdown, "\n```")
	if !ok {
		return "", false
	}
	_, rest, ok = strings.Cut(rest, "\n")
	if !ok {
		return "", false
	}
	body, _, ok := strings.Cut(rest, "```")
	return body, ok
}
