package app

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
)

// firstJSONObject finds the first balanced {...} in text that decodes as a
// JSON object. The brace scan is string-aware (braces inside JSON strings and
// escaped quotes are skipped), so prose and code fences around it are fine.
func firstJSONObject(text string) (map[string]any, bool) {
	for start := strings.IndexByte(text, '{'); start >= 0; {
		if end := balancedEnd(text, start); end > 0 {
			var m map[string]any
			if json.Unmarshal([]byte(text[start:end]), &m) == nil {
				return m, true
			}
		}
		next := strings.IndexByte(text[start+1:], '{')
		if next < 0 {
			break
		}
		start += 1 + next
	}
	return nil, false
}

// balancedEnd returns the index just past the brace closing text[start], or
// -1 when it never closes.
func balancedEnd(text string, start int) int {
	depth, inString, escaped := 0, false, false
	for i := start; i < len(text); i++ {
		c := text[i]
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// findKeyed returns the first value under one of keys: every key is tried
// at the current level, in priority order, before descending into child
// values (object keys in sorted order, arrays in order).
func findKeyed(v any, keys []string) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range keys {
			if x, ok := t[k]; ok {
				return x, true
			}
		}
		for _, k := range sortedKeys(t) {
			if x, ok := findKeyed(t[k], keys); ok {
				return x, true
			}
		}
	case []any:
		for _, e := range t {
			if x, ok := findKeyed(e, keys); ok {
				return x, true
			}
		}
	}
	return nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// stringify renders a JSON scalar or array as trimmed text; objects and
// null give "".
func stringify(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			if s := stringify(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// textOf finds the first non-empty text under one of keys.
func textOf(v any, keys []string) string {
	x, _ := findKeyed(v, keys)
	return stringify(x)
}

// finite reports whether f is a usable number.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
