package fakeupstream

import "encoding/json"

// StructuredAnswer answers a KindChat request that asks for structured
// output (OpenAI response_format json_schema / json_object, Ollama format)
// with JSON built from the schema, so clients that parse the answer into an
// object (the AI SDK's generateObject, openai-go's structured outputs) get
// one. Every string in it is the model's name, so a test can tell whose
// answer a workflow returned; numbers are 1, booleans true, arrays hold one
// item and an enum gives its first value. ok is false for other requests.
func StructuredAnswer(r Request) (a Answer, ok bool) {
	if r.Kind != KindChat || len(r.ResponseFormat) == 0 {
		return Answer{}, false
	}
	schema, ok := requestedSchema(r.ResponseFormat)
	if !ok {
		return Answer{}, false
	}
	b, err := json.Marshal(instanceOf(schema, r.Model, 0))
	if err != nil {
		return Answer{}, false
	}
	return TextAnswer(r, string(b)), true
}

// requestedSchema reads the JSON Schema of an OpenAI response_format or an
// Ollama format; json_object and Ollama's "json" ask for any object.
func requestedSchema(format json.RawMessage) (map[string]any, bool) {
	var v any
	if err := json.Unmarshal(format, &v); err != nil {
		return nil, false
	}
	switch f := v.(type) {
	case string: // Ollama "json"
		return map[string]any{"type": "object"}, f == "json"
	case map[string]any:
		switch f["type"] {
		case "json_schema":
			js, _ := f["json_schema"].(map[string]any)
			schema, ok := js["schema"].(map[string]any)
			return schema, ok
		case "json_object":
			return map[string]any{"type": "object"}, true
		case "text":
			return nil, false
		}
		return f, true // Ollama: the format is the schema itself
	}
	return nil, false
}

// maxSchemaDepth bounds nesting so a recursive schema cannot loop.
const maxSchemaDepth = 8

// instanceOf builds a value valid against schema (the subset clients
// generate: type, properties, items, enum, anyOf). An object without
// properties gets {"model": name}.
func instanceOf(schema map[string]any, name string, depth int) any {
	if enum, ok := schema["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	if c, ok := schema["const"]; ok {
		return c
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		if alts, ok := schema[key].([]any); ok && len(alts) > 0 {
			if alt, ok := alts[0].(map[string]any); ok {
				return instanceOf(alt, name, depth)
			}
		}
	}
	typ := schema["type"]
	if list, ok := typ.([]any); ok && len(list) > 0 {
		typ = list[0]
	}
	switch typ {
	case "string":
		return name
	case "number", "integer":
		return 1
	case "boolean":
		return true
	case "null":
		return nil
	case "array":
		items, _ := schema["items"].(map[string]any)
		if items == nil || depth >= maxSchemaDepth {
			return []any{}
		}
		return []any{instanceOf(items, name, depth+1)}
	}
	props, _ := schema["properties"].(map[string]any)
	if len(props) == 0 || depth >= maxSchemaDepth {
		return map[string]any{"model": name}
	}
	out := make(map[string]any, len(props))
	for key, p := range props {
		ps, ok := p.(map[string]any)
		if !ok {
			ps = map[string]any{}
		}
		out[key] = instanceOf(ps, name, depth+1)
	}
	return out
}
