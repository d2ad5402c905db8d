package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// modelRef is one model name written in the workflow JSON and its path
// there (workflow.workers[1].name).
type modelRef struct {
	model string
	path  string
}

// undefinedModels renders the problem for references to models that have no
// [[model]]: the first line is the stable summary (sorted, deduplicated
// names; scripts and docs match it), then one line per reference with its
// path and a "did you mean", then the defined names. ok is false when every
// reference is defined.
func undefinedModels(refs []modelRef, models map[string]domain.ModelSpec) (string, bool) {
	missing := map[string]bool{}
	var lines []string
	defined := slices.Sorted(maps.Keys(models))
	for _, r := range refs {
		if _, ok := models[r.model]; ok {
			continue
		}
		missing[r.model] = true
		line := fmt.Sprintf("%s = %q is not a [[model]] name", r.path, r.model)
		if s, ok := closest(r.model, defined); ok {
			line += fmt.Sprintf("; did you mean %q?", s)
		}
		lines = append(lines, line)
	}
	if len(missing) == 0 {
		return "", false
	}
	var b strings.Builder
	b.WriteString("Workflow configuration references undefined model(s): ")
	b.WriteString(strings.Join(slices.Sorted(maps.Keys(missing)), ", "))
	for _, l := range lines {
		b.WriteString("\n    ")
		b.WriteString(l)
	}
	b.WriteString("\n    defined models: ")
	if len(defined) == 0 {
		b.WriteString("(none)")
	} else {
		b.WriteString(strings.Join(defined, ", "))
	}
	return b.String(), true
}

// closest returns the defined name nearest to name when it is close enough
// to be a likely typo: the same name in another case, or an edit distance of
// at most a third of the name's length (at most 3; so none for names under
// three characters, where any name is "close").
func closest(name string, defined []string) (string, bool) {
	best, bestDist := "", -1
	for _, d := range defined {
		if strings.EqualFold(d, name) {
			return d, true
		}
		dist := levenshtein(strings.ToLower(name), strings.ToLower(d))
		if bestDist < 0 || dist < bestDist {
			best, bestDist = d, dist
		}
	}
	limit := min(len([]rune(name))/3, 3)
	if bestDist < 0 || bestDist > limit || limit == 0 {
		return "", false
	}
	return best, true
}

// levenshtein is the edit distance (insertions, deletions, substitutions)
// between a and b, counted in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
