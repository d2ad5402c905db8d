package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// kind is the TOML type a known key must have.
type kind int

const (
	kString kind = iota
	kInt
	kFloat // integers are accepted too
	kBool
	kStrings
	kTable
	kTables    // array of tables; a single table is accepted too (the original allowed [model])
	kTableMap  // table whose keys are free (hosts) and whose values all follow elem
	kTableOrJS // [workflow-integration]: a table, or the plain-string JSON form
	kKeyList   // [server] api_keys: each entry a string, or a table following fields
)

// spec describes one known key of the configuration file.
type spec struct {
	kind   kind
	fields map[string]*spec // for kTable, kTables, kTableOrJS
	elem   *spec            // for kTableMap
	secret bool             // never echo the value in messages
}

func timeoutFields() map[string]*spec {
	return map[string]*spec{
		"analyzer_timeout_secs":    {kind: kInt},
		"worker_timeout_secs":      {kind: kInt},
		"selector_timeout_secs":    {kind: kInt},
		"synthesizer_timeout_secs": {kind: kInt},
	}
}

// schema is the set of keys Chorus knows; everything else is an error.
func schema() *spec {
	return &spec{kind: kTable, fields: map[string]*spec{
		"server": {kind: kTable, fields: map[string]*spec{
			"host":                  {kind: kString},
			"port":                  {kind: kInt},
			"admin_addr":            {kind: kString},
			"api_keys":              apiKeysSpec(),
			"max_body_bytes":        {kind: kInt},
			"shutdown_timeout_secs": {kind: kInt},
			"keepalive_secs":        {kind: kInt},
			"pprof":                 {kind: kBool},
			"read_timeout_secs":     {kind: kInt},
			"idle_timeout_secs":     {kind: kInt},
			"max_connections":       {kind: kInt},
			"ui":                    {kind: kBool},
			"cors_origins":          {kind: kStrings},
		}},
		"model": {kind: kTables, fields: map[string]*spec{
			"name":             {kind: kString},
			"provider":         {kind: kString},
			"api_base":         {kind: kString},
			"api_key":          {kind: kString, secret: true},
			"temperature":      {kind: kFloat},
			"auto_temperature": {kind: kBool},
			"vision":           {kind: kBool},
			"fallbacks":        {kind: kStrings},
			"deployment":       deploymentSpec(),

			// Prices in US dollars per million tokens (chorus eval reports).
			"price_input_per_mtok":  {kind: kFloat},
			"price_output_per_mtok": {kind: kFloat},
		}},
		"health":   healthSpec(),
		"cache":    cacheSpec(),
		"state":    stateSpec(),
		"upstream": upstreamSpec(),
		"workflow-integration": {kind: kTableOrJS, fields: map[string]*spec{
			"json":                {kind: kString},
			"nested_worker_depth": {kind: kInt},
			legacyAnalyzerKey:     {kind: kString},
			legacyWorkersKey:      {kind: kStrings},
			legacySynthesizerKey:  {kind: kString},
		}},
		"workflow": {kind: kTable, fields: map[string]*spec{
			"name":            {kind: kString},
			"mode":            {kind: kString},
			"max_concurrency": {kind: kInt},
			"progress":        {kind: kString},
			"progress_names":  {kind: kBool},
			"timeouts":        {kind: kTable, fields: timeoutFields()},
			"domains":         {kind: kTableMap, elem: &spec{kind: kTable, fields: timeoutFields()}},
			"prompts": {kind: kTable, fields: map[string]*spec{
				"analyzer":    {kind: kString},
				"selector":    {kind: kString},
				"synthesizer": {kind: kString},
			}},

			// Adaptive routing.
			"route_easy_to":        {kind: kString},
			"route_easy_threshold": {kind: kString},
		}},
	}}
}

// checkShape reports unknown keys and wrong types in the parsed document,
// removes them (the defaults apply instead) and normalizes the two
// alternative shapes (a single [model] table, the plain string
// workflow-integration) so the typed decode cannot fail.
func checkShape(doc map[string]any, ps *problems) {
	checkTable("", doc, schema(), ps)
}

func checkTable(path string, m map[string]any, s *spec, ps *problems) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		key := joinKey(path, k)
		f, ok := s.fields[k]
		if !ok {
			if path == "" {
				ps.addAt(key, "unknown section or key %q at the top level", k)
			} else {
				ps.addAt(key, "unknown key %q in %s", k, sectionName(path))
			}
			delete(m, k)
			continue
		}
		if v, ok := checkValue(key, m[k], f, ps); ok {
			m[k] = v
		} else {
			delete(m, k)
		}
	}
}

// checkValue checks one value and returns its normalized form.
func checkValue(key string, v any, s *spec, ps *problems) (any, bool) {
	switch s.kind {
	case kString:
		return v, expect(key, v, s, ps, "a string", isString)
	case kInt:
		return v, expect(key, v, s, ps, "an integer", isInt)
	case kFloat:
		return v, expect(key, v, s, ps, "a number", func(v any) bool { return isInt(v) || isFloat(v) })
	case kBool:
		return v, expect(key, v, s, ps, "a boolean (true or false)", isBool)
	case kStrings:
		return v, expect(key, v, s, ps, "an array of strings", isStrings)
	case kTable:
		return v, checkSubTable(key, v, s, ps)
	case kTableOrJS:
		if str, ok := v.(string); ok {
			return map[string]any{"json": str}, true
		}
		return v, checkSubTable(key, v, s, ps)
	case kTables:
		return checkTables(key, v, s, ps)
	case kKeyList:
		return v, checkKeyList(key, v, s, ps)
	case kTableMap:
		m, ok := v.(map[string]any)
		if !ok {
			ps.addAt(key, "%s must be a table, got %s", key, describe(v, false))
			return v, false
		}
		for _, host := range slices.Sorted(maps.Keys(m)) {
			if !checkSubTable(joinKey(key, host), m[host], s.elem, ps) {
				delete(m, host)
			}
		}
		return v, true
	}
	return v, true
}

func expect(key string, v any, s *spec, ps *problems, want string, ok func(any) bool) bool {
	if ok(v) {
		return true
	}
	ps.addAt(key, "%s must be %s, got %s", key, want, describe(v, s.secret))
	return false
}

func checkSubTable(key string, v any, s *spec, ps *problems) bool {
	m, ok := v.(map[string]any)
	if !ok {
		ps.addAt(key, "%s must be a table, got %s", key, describe(v, false))
		return false
	}
	checkTable(key, m, s, ps)
	return true
}

func checkTables(key string, v any, s *spec, ps *problems) (any, bool) {
	if m, ok := v.(map[string]any); ok {
		checkTable(key, m, s, ps)
		return []any{m}, true
	}
	list, ok := v.([]any)
	if !ok {
		ps.addAt(key, "%s must be an array of tables ([[%s]]), got %s", key, key, describe(v, false))
		return v, false
	}
	kept := make([]any, 0, len(list))
	for i, el := range list {
		if checkSubTable(indexKey(key, i), el, s, ps) {
			kept = append(kept, el)
		}
	}
	return kept, true
}

func isString(v any) bool { _, ok := v.(string); return ok }
func isBool(v any) bool   { _, ok := v.(bool); return ok }
func isFloat(v any) bool  { _, ok := v.(float64); return ok }

func isInt(v any) bool {
	switch v.(type) {
	case int64, int:
		return true
	}
	return false
}

func isStrings(v any) bool {
	list, ok := v.([]any)
	if !ok {
		return false
	}
	return !slices.ContainsFunc(list, func(el any) bool { return !isString(el) })
}

// describe names a value's TOML type, with the value itself when it is short
// and not a secret.
func describe(v any, secret bool) string {
	var typ string
	switch v.(type) {
	case string:
		typ = "string"
	case int64, int:
		typ = "integer"
	case float64:
		typ = "float"
	case bool:
		typ = "boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return "a date/time"
	}
	shown := fmt.Sprintf("%v", v)
	if s, ok := v.(string); ok {
		shown = fmt.Sprintf("%q", s)
	}
	if secret || len(shown) > 40 {
		return typ
	}
	return strings.TrimSpace(typ + " " + shown)
}
