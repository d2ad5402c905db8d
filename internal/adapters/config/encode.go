package config

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// keyOrder is the order keys are written in by encodeTOML; keys not listed
// (domain hosts) follow alphabetically.
var keyOrder = []string{
	"server", "model", "workflow-integration", "workflow",
	"host", "port", "admin_addr", "api_keys", "max_body_bytes", "shutdown_timeout_secs", "keepalive_secs", "pprof", "ui",
	"read_timeout_secs", "idle_timeout_secs", "max_connections", "cors_origins",
	"name", "provider", "api_base", "api_key", "temperature", "auto_temperature", "vision",
	"nested_worker_depth", "json",
	"mode", "max_concurrency", "progress", "progress_names", "timeouts", "domains", "prompts",
	"analyzer_timeout_secs", "worker_timeout_secs", "selector_timeout_secs", "synthesizer_timeout_secs",
	"analyzer", "selector", "synthesizer",
}

// encodeTOML writes a configuration document (as parsed by koanf) back to
// TOML with a stable key order. Comments of the source cannot be kept.
func encodeTOML(header string, doc map[string]any) []byte {
	var b strings.Builder
	b.WriteString(header)
	writeTable(&b, "", doc)
	return []byte(b.String())
}

func writeTable(b *strings.Builder, path string, m map[string]any) {
	keys := orderedKeys(m)
	for _, k := range keys {
		if !isTableLike(m[k]) {
			fmt.Fprintf(b, "%s = %s\n", tomlKey(k), tomlValue(m[k]))
		}
	}
	for _, k := range keys {
		sub := joinKey(path, k)
		switch v := m[k].(type) {
		case map[string]any:
			if hasScalars(v) || len(v) == 0 {
				fmt.Fprintf(b, "\n[%s]\n", sub)
			}
			writeTable(b, sub, v)
		case []any:
			if !isTableLike(v) {
				continue
			}
			for _, el := range v {
				fmt.Fprintf(b, "\n[[%s]]\n", sub)
				writeTable(b, sub, el.(map[string]any))
			}
		}
	}
}

// isTableLike is true for tables and non-empty arrays of tables.
func isTableLike(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		return true
	case []any:
		if len(t) == 0 {
			return false
		}
		for _, el := range t {
			if _, ok := el.(map[string]any); !ok {
				return false
			}
		}
		return true
	}
	return false
}

func hasScalars(m map[string]any) bool {
	for _, v := range m {
		if !isTableLike(v) {
			return true
		}
	}
	return false
}

func orderedKeys(m map[string]any) []string {
	keys := slices.Sorted(maps.Keys(m))
	rank := func(k string) int {
		if i := slices.Index(keyOrder, k); i >= 0 {
			return i
		}
		return len(keyOrder)
	}
	slices.SortStableFunc(keys, func(a, b string) int { return rank(a) - rank(b) })
	return keys
}

func tomlKey(k string) string {
	if isBareKey(k) {
		return k
	}
	return tomlString(k)
}

func tomlValue(v any) string {
	switch t := v.(type) {
	case string:
		if strings.Contains(t, "\n") && !strings.Contains(t, "'''") && !hasControl(t) {
			// A multi-line literal keeps the workflow JSON readable; the
			// newline right after the opening quotes is dropped by TOML.
			return "'''\n" + t + "'''"
		}
		return tomlString(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case int:
		return strconv.Itoa(t)
	case float64:
		return tomlFloat(t)
	case bool:
		return strconv.FormatBool(t)
	case []any:
		parts := make([]string, len(t))
		for i, el := range t {
			parts[i] = tomlValue(el)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return tomlString(fmt.Sprint(v))
}

func tomlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// hasControl reports control characters a literal string cannot hold.
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return true
		}
	}
	return strings.Contains(s, "\r")
}

// tomlString writes a TOML basic string with the escapes TOML defines.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
