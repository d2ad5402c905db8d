package readme

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// linkTarget matches a Markdown link or image target and an HTML src.
var linkTarget = regexp.MustCompile(`\]\(([^)\s]+)\)|src="([^"]+)"`)

// Links returns the relative link targets of the document outside code
// blocks ("docs/TOOLS.md", "#anchor", "README.md#x"); links with a scheme
// (https:, mailto:) are left out.
func Links(markdown string) []string {
	var links []string
	for _, line := range proseLines(markdown) {
		for _, m := range linkTarget.FindAllStringSubmatch(line, -1) {
			target := m[1] + m[2]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			links = append(links, target)
		}
	}
	return links
}

// HeadingAnchors returns the anchors GitHub gives the document's headings:
// lower case, punctuation dropped (letters of every script kept), spaces as
// hyphens, and -1, -2 … after repeated ones.
func HeadingAnchors(markdown string) []string {
	var anchors []string
	seen := map[string]int{}
	for _, line := range proseLines(markdown) {
		text, ok := strings.CutPrefix(line, "#")
		if !ok {
			continue
		}
		slug := slugify(strings.TrimLeft(text, "#"))
		if n := seen[slug]; n > 0 {
			anchors = append(anchors, slug+"-"+strconv.Itoa(n))
		} else {
			anchors = append(anchors, slug)
		}
		seen[slug]++
	}
	return anchors
}

func slugify(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// proseLines returns the document's lines outside fenced code blocks.
func proseLines(markdown string) []string {
	var lines []string
	inCode := false
	for line := range strings.SplitSeq(markdown, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
			continue
		}
		if !inCode {
			lines = append(lines, line)
		}
	}
	return lines
}

// FencedBlocks returns every code block whose opening fence names lang
// ("```toml"), marked or not, with its fence line.
func FencedBlocks(markdown, lang string) []Block {
	var (
		blocks []Block
		open   *Block
		body   []string
	)
	for n, line := range strings.Split(markdown, "\n") {
		fence := strings.TrimSpace(line)
		switch {
		case open == nil && fence == "```"+lang:
			open = &Block{Line: n + 1}
		case open != nil && fence == "```":
			open.Script = strings.Join(body, "\n") + "\n"
			blocks = append(blocks, *open)
			open, body = nil, nil
		case open != nil:
			body = append(body, line)
		}
	}
	return blocks
}
