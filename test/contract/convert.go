package contract

import (
	"fmt"
	"slices"
	"strings"
)

const schemasPrefix = "#/components/schemas/"

// toJSONSchema rewrites an OpenAPI schema tree in place into plain JSON
// Schema 2020-12:
//   - `nullable: true` (OpenAPI 3.0, still used by OpenAI's 3.1 file) becomes
//     "or null";
//   - a union whose members each fix the `type` property (a discriminated
//     union, with or without a `discriminator` keyword) checks an object
//     against the member its `type` names, so a broken event reports that
//     member's error instead of passing or failing as "no member matched";
//   - draft 2019-09's `$recursiveRef: "#"` (with `$recursiveAnchor`) becomes a
//     plain `$ref` to the component schema self it appears in.
func toJSONSchema(node any, self string, schemas map[string]any) any {
	switch n := node.(type) {
	case map[string]any:
		delete(n, "$recursiveAnchor")
		if r, ok := n["$recursiveRef"]; ok && r == "#" {
			delete(n, "$recursiveRef")
			n["$ref"] = schemasPrefix + self
		}
		for k, v := range n {
			n[k] = toJSONSchema(v, self, schemas)
		}
		for _, kw := range []string{"anyOf", "oneOf"} {
			if members, ok := n[kw].([]any); ok {
				if dispatch, ok := discriminate(members, schemas); ok {
					delete(n, kw)
					n["allOf"] = append(asSlice(n["allOf"]), dispatch...)
				}
			}
		}
		if n["nullable"] == true {
			delete(n, "nullable")
			return orNull(n)
		}
		return n
	case []any:
		for i, v := range n {
			n[i] = toJSONSchema(v, self, schemas)
		}
		return n
	default:
		return node
	}
}

// orNull widens a schema to also accept null.
func orNull(n map[string]any) any {
	if enum, ok := n["enum"].([]any); ok && !slices.Contains(enum, nil) {
		n["enum"] = append(enum, nil)
	}
	switch t := n["type"].(type) {
	case string:
		n["type"] = []any{t, "null"}
		return n
	case []any:
		if !slices.Contains(t, any("null")) {
			n["type"] = append(t, "null")
		}
		return n
	}
	return map[string]any{"anyOf": []any{n, map[string]any{"type": "null"}}}
}

// discriminate turns a union of $ref members that each require a single
// `type` value into if/then branches keyed on that value plus a closed
// enum of the values. It declines (false) when any member is not of that
// form, leaving the union as the document wrote it.
func discriminate(members []any, schemas map[string]any) ([]any, bool) {
	byType := map[string][]any{}
	var order []string
	for _, m := range members {
		ref, ok := asMap(m)["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, schemasPrefix) {
			return nil, false
		}
		v, ok := fixedType(asMap(schemas[strings.TrimPrefix(ref, schemasPrefix)]))
		if !ok {
			return nil, false
		}
		if _, seen := byType[v]; !seen {
			order = append(order, v)
		}
		byType[v] = append(byType[v], map[string]any{"$ref": ref})
	}
	if len(order) < 2 {
		return nil, false
	}
	values := make([]any, 0, len(order))
	out := make([]any, 0, len(order)+1)
	for _, v := range order {
		values = append(values, v)
		then := byType[v][0]
		if len(byType[v]) > 1 {
			then = map[string]any{"anyOf": byType[v]}
		}
		out = append(out, map[string]any{
			"if":   map[string]any{"properties": map[string]any{"type": map[string]any{"const": v}}, "required": []any{"type"}},
			"then": then,
		})
	}
	out = append(out, map[string]any{
		"required":   []any{"type"},
		"properties": map[string]any{"type": map[string]any{"enum": values}},
	})
	return out, true
}

// fixedType is the one value an object schema requires for `type`.
func fixedType(s map[string]any) (string, bool) {
	if !slices.Contains(asSlice(s["required"]), any("type")) {
		return "", false
	}
	t := asMap(asMap(s["properties"])["type"])
	if c, ok := t["const"].(string); ok {
		return c, true
	}
	if enum := asSlice(t["enum"]); len(enum) == 1 {
		v, ok := enum[0].(string)
		return v, ok
	}
	return "", false
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// componentSchemas returns components.schemas of a decoded OpenAPI document.
func componentSchemas(doc map[string]any) (map[string]any, error) {
	schemas := asMap(asMap(doc["components"])["schemas"])
	if len(schemas) == 0 {
		return nil, fmt.Errorf("no components.schemas")
	}
	return schemas, nil
}
