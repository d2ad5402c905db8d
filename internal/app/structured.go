package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Structured output kinds (response_format.type; Responses text.format.type).
const (
	formatJSONObject = "json_object"
	formatJSONSchema = "json_schema"
)

// schemaURL names the client's schema inside the compiler.
const schemaURL = "chorus:///response_format.json"

// outputFormat is the structured output a request asked for: none, any JSON
// value (json_object) or JSON valid against a schema (json_schema).
type outputFormat struct {
	kind   string
	schema *jsonschema.Schema // nil when the schema could not be compiled
	note   string             // why the schema is not enforced
}

// newOutputFormat reads a Chat Completions response_format.
func newOutputFormat(rf domain.RawJSON) outputFormat {
	if len(rf) == 0 {
		return outputFormat{}
	}
	var v struct {
		Type       string `json:"type"`
		JSONSchema struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"json_schema"`
	}
	if json.Unmarshal(rf, &v) != nil {
		return outputFormat{}
	}
	switch v.Type {
	case formatJSONObject:
		return outputFormat{kind: formatJSONObject}
	case formatJSONSchema:
		f := outputFormat{kind: formatJSONSchema}
		s, err := compileSchema(v.JSONSchema.Schema)
		if err != nil {
			f.note = "schema not enforced: " + err.Error()
		}
		f.schema = s
		return f
	}
	return outputFormat{}
}

// compileSchema compiles the client's schema. Its $refs may only point
// inside it: a loader that refuses every URL keeps a request from reading
// local files or reaching the network.
func compileSchema(raw json.RawMessage) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(refuseLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
}

// refuseLoader loads no external schema.
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external $ref %q is not loaded", url)
}

func (f outputFormat) active() bool { return f.kind != "" }

// check returns text as the JSON answer (a ```json fence around it is
// removed) or why it is not valid.
func (f outputFormat) check(text string) (string, error) {
	body := unfence(text)
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		return "", errors.New("not valid JSON")
	}
	if f.kind == formatJSONObject {
		if _, ok := v.(map[string]any); !ok {
			return "", errors.New("not a JSON object")
		}
	}
	if f.schema != nil {
		if err := f.schema.Validate(v); err != nil {
			return "", fmt.Errorf("does not match the schema: %s", firstLine(err.Error()))
		}
	}
	return body, nil
}

// unfence strips whitespace and one Markdown code fence around the text.
func unfence(text string) string {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "```") || !strings.HasSuffix(t, "```") || len(t) < 6 {
		return t
	}
	t = strings.TrimSuffix(t[3:], "```")
	if nl := strings.IndexByte(t, '\n'); nl >= 0 && !strings.ContainsAny(t[:nl], "{[\"") {
		t = t[nl+1:] // the info string, e.g. "json"
	}
	return strings.TrimSpace(t)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// settleFormat enforces the requested structured output on a text answer:
// the answer if valid, else the selected candidate, else the first valid
// candidate; when none is valid the answer stays and the trace says so
// (never a silent success).
func (r *run) settleFormat(ans answer, cands []domain.Candidate, sel domain.Selection, out *domain.OutputTrace) answer {
	f := r.format
	if !f.active() {
		return ans
	}
	out.Format = f.kind
	text, first := f.check(ans.text)
	if first == nil {
		ans.text, out.Valid, out.Note = text, domain.SomeBool(true), f.note
		return ans
	}
	order := make([]int, 0, len(cands))
	if out.Source == "synthesizer" {
		order = append(order, sel.Index)
	}
	for i := range cands {
		if i != sel.Index {
			order = append(order, i)
		}
	}
	for _, i := range order {
		c := cands[i]
		if len(c.ToolCalls) > 0 {
			continue
		}
		if text, err := f.check(c.Text); err == nil {
			out.Note = fmt.Sprintf("%s answer %s; fell back to %s", out.Source, first.Error(), c.Label)
			out.Source, out.Valid = c.Label, domain.SomeBool(true)
			return answer{text: text, finish: domain.FinishStop}
		}
	}
	out.Valid = domain.SomeBool(false)
	out.Note = fmt.Sprintf("no answer is valid %s (the %s answer %s); returned as it is", f.kind, out.Source, first.Error())
	return ans
}
