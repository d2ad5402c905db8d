package app

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// analysis is what the analyzer's reply yielded.
type analysis struct {
	temperature float64 // clamped to [0, 2]
	taskType    string
	reasoning   string
	difficulty  domain.Difficulty // DifficultyNormal unless the reply rates it
}

var (
	taskTypeKeys   = []string{"task_type", "taskType", "task", "type", "category"}
	difficultyKeys = []string{"difficulty", "complexity", "level"}
	reasoningKeys  = []string{"reasoning", "reason", "explanation", "why", "comment", "analysis"}
)

// parseAnalysis reads a temperature from the analyzer's reply: the whole
// reply as JSON, else the first JSON object in it (prose, code fences),
// else the first line mentioning "temperature" that holds a number.
func parseAnalysis(text string) (analysis, bool) {
	var whole any
	if json.Unmarshal([]byte(strings.TrimSpace(text)), &whole) == nil {
		if a, ok := analysisOf(whole); ok {
			return a, true
		}
	}
	// Only a reply that is not itself the answer is searched for an object.
	if obj, ok := firstJSONObject(text); ok {
		if a, ok := analysisOf(obj); ok {
			return a, true
		}
	}
	if t, ok := scanTemperatureLines(text); ok {
		return analysis{temperature: domain.ClampTemperature(t), difficulty: domain.DifficultyNormal}, true
	}
	return analysis{}, false
}

// analysisOf reads an analysis from a decoded JSON document that holds a
// temperature.
func analysisOf(doc any) (analysis, bool) {
	t, ok := findTemperature(doc)
	if !ok {
		return analysis{}, false
	}
	return analysis{
		temperature: domain.ClampTemperature(t),
		taskType:    textOf(doc, taskTypeKeys),
		reasoning:   textOf(doc, reasoningKeys),
		difficulty:  domain.ParseDifficulty(textOf(doc, difficultyKeys)),
	}, true
}

// findTemperature searches a JSON value for a "temperature" key: the direct
// key wins; a direct key of an unusable type ends this object's search;
// otherwise children are visited (sorted keys, arrays in order).
func findTemperature(v any) (float64, bool) {
	switch t := v.(type) {
	case map[string]any:
		// Sorted keys keep the choice deterministic when a reply holds
		// both "temperature" and "Temperature".
		keys := sortedKeys(t)
		for _, k := range keys {
			if strings.EqualFold(k, "temperature") {
				return temperatureValue(t[k])
			}
		}
		for _, k := range keys {
			if f, ok := findTemperature(t[k]); ok {
				return f, true
			}
		}
	case []any:
		for _, e := range t {
			if f, ok := findTemperature(e); ok {
				return f, true
			}
		}
	}
	return 0, false
}

func temperatureValue(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		return parseFragment(t)
	}
	return 0, false
}

// scanTemperatureLines tries each line mentioning "temperature": first the
// text after its first colon, then the whole line.
func scanTemperatureLines(text string) (float64, bool) {
	for line := range strings.Lines(text) {
		if !strings.Contains(strings.ToLower(line), "temperature") {
			continue
		}
		if _, after, ok := strings.Cut(line, ":"); ok {
			if f, ok := parseFragment(after); ok {
				return f, true
			}
		}
		if f, ok := parseFragment(line); ok {
			return f, true
		}
	}
	return 0, false
}

// parseFragment parses a number: the trimmed, unquoted text, else the first
// run of digits, '.' and '-'.
func parseFragment(s string) (float64, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"'`)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, finite(f)
	}
	piece := strings.FieldsFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' })
	if len(piece) == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(piece[0], 64)
	return f, err == nil && finite(f)
}
