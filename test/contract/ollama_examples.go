package contract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// shape is what Ollama's API doc examples show for one JSON value: the JSON
// types seen, the fields of objects and the shape of array elements.
type shape struct {
	types  []string
	fields map[string]*shape
	elem   *shape
}

// endpointLine is the method and path block that opens each endpoint
// section of ollama-api.md ("POST /api/chat").
var endpointLine = regexp.MustCompile(`^(GET|POST|DELETE|HEAD) (/api/\S+)$`)

var ollamaExamples = sync.OnceValues(func() (map[string]*shape, error) {
	md, err := readOfficial("ollama-api.md")
	if err != nil {
		return nil, err
	}
	return parseExamples(md)
})

// parseExamples merges every JSON block under a "Response" heading into
// one shape per endpoint path.
func parseExamples(md []byte) (map[string]*shape, error) {
	out := map[string]*shape{}
	var path string
	var inResponse, inJSON bool
	var block strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(md))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case inJSON && line == "```":
			inJSON = false
			var v any
			if json.Unmarshal([]byte(block.String()), &v) == nil && path != "" {
				if out[path] == nil {
					out[path] = &shape{}
				}
				out[path].merge(v)
			}
		case inJSON:
			block.WriteString(line + "\n")
		case endpointLine.MatchString(line):
			path = endpointLine.FindStringSubmatch(line)[2]
		case strings.HasPrefix(line, "#"):
			inResponse = strings.Contains(line, "Response")
		case inResponse && line == "```json":
			inJSON = true
			block.Reset()
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read ollama-api.md: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("ollama-api.md: no response examples found")
	}
	return out, nil
}

func (s *shape) merge(v any) {
	t := jsonType(v)
	if !slices.Contains(s.types, t) {
		s.types = append(s.types, t)
	}
	switch v := v.(type) {
	case map[string]any:
		if s.fields == nil {
			s.fields = map[string]*shape{}
		}
		for k, fv := range v {
			if s.fields[k] == nil {
				s.fields[k] = &shape{}
			}
			s.fields[k].merge(fv)
		}
	case []any:
		for _, e := range v {
			if s.elem == nil {
				s.elem = &shape{}
			}
			s.elem.merge(e)
		}
	}
}

// jsonType names a decoded JSON value's type, telling integers from other
// numbers (Ollama's durations and counts are integers).
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// check reports every field of v whose JSON type no example of that field
// shows. Fields the examples never show are left to the OpenAPI schema.
func (s *shape) check(at string, v any, problems *[]string) {
	t := jsonType(v)
	integerAsNumber := t == "integer" && slices.Contains(s.types, "number")
	if !slices.Contains(s.types, t) && !integerAsNumber {
		*problems = append(*problems, fmt.Sprintf("%s: %s, the examples show %s", at, t, strings.Join(s.types, "|")))
		return
	}
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if f := s.fields[k]; f != nil {
				f.check(at+"."+k, v[k], problems)
			}
		}
	case []any:
		if s.elem != nil {
			for i, e := range v {
				s.elem.check(fmt.Sprintf("%s[%d]", at, i), e, problems)
			}
		}
	}
}

// CheckOllamaExample checks an Ollama answer from path (e.g. "/api/chat")
// against the field names and JSON types of the ollama-api.md response
// examples for that endpoint. An endpoint whose examples are not JSON
// (/api/show's is JSON5) is left to the OpenAPI schema.
func CheckOllamaExample(path string, body []byte) error {
	examples, err := ollamaExamples()
	if err != nil {
		return err
	}
	s, ok := examples[path]
	if !ok {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s: not JSON: %w", path, err)
	}
	var problems []string
	s.check("$", v, &problems)
	if len(problems) > 0 {
		return fmt.Errorf("%s differs from ollama-api.md: %s", path, strings.Join(problems, "; "))
	}
	return nil
}
