package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Keys allowed in the workflow JSON. Unknown keys are an error (a SPEC
// decision: the original ignored them, which hid typos such as "synthesiser").
var (
	planKeys   = []string{"analyzer", "workers", "selector", "synthesizer"}
	targetKeys = []string{"ref", "name", "temperature", "auto_temperature"}
)

// planParser turns the workflow JSON into domain plans, collecting every
// problem instead of stopping at the first. Paths in its messages are
// JSON-ish with 0-based indexes (workflow.workers[1].analyzer), the style of
// every other configuration message.
type planParser struct {
	ps     *problems
	models map[string]domain.ModelSpec
	refs   *[]modelRef // every model reference met, for the undefined-model check
	legacy bool        // the JSON was generated from the legacy keys
}

// parseWorkflowJSON parses the [workflow-integration] json (original-behavior
// §2): classification of worker entries, synthesizer inheritance, and the
// structural rules. It returns nil when any problem was recorded.
// With legacy set, the JSON was built from the legacy keys and model
// references are reported at those keys instead.
func parseWorkflowJSON(src string, models map[string]domain.ModelSpec, legacy bool, ps *problems) *domain.Plan {
	if strings.TrimSpace(src) == "" {
		ps.addAt("workflow-integration", "[workflow-integration] json is missing or empty; it must hold the workflow plan JSON object")
		return nil
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(src))
	if err := dec.Decode(&v); err != nil {
		ps.addAt("workflow-integration.json", "%s", jsonErrorText(src, err))
		return nil
	}
	if dec.More() {
		ps.addAt("workflow-integration.json", "workflow JSON has extra content after the root object")
		return nil
	}
	root, ok := v.(map[string]any)
	if !ok {
		ps.addAt("workflow-integration.json", "Workflow integration JSON must start with an object at the root")
		return nil
	}
	before := len(ps.list)
	var refs []modelRef
	p := planParser{ps: ps, models: models, refs: &refs, legacy: legacy}
	plan := p.plan(root, "workflow", nil)
	if msg, ok := undefinedModels(refs, models); ok {
		ps.add("%s", msg)
	}
	if len(ps.list) > before {
		return nil
	}
	return plan
}

// jsonErrorText reports a JSON decode error with the line and column it
// points at (counted in the JSON text itself).
func jsonErrorText(src string, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the offending byte; point at it.
		line, col := lineCol(src, max(se.Offset-1, 0))
		return fmt.Sprintf("workflow JSON is invalid at line %d, column %d: %v", line, col, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		line, col := lineCol(src, int64(len(src)))
		return fmt.Sprintf("workflow JSON is invalid at line %d, column %d: unexpected end of JSON input", line, col)
	}
	return fmt.Sprintf("workflow JSON is invalid: %v", err)
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(src string, offset int64) (int, int) {
	if offset > int64(len(src)) {
		offset = int64(len(src))
	}
	lead := []byte(src[:offset])
	line := bytes.Count(lead, []byte{'\n'}) + 1
	col := len(lead) - bytes.LastIndexByte(lead, '\n')
	return line, col
}

// plan parses one plan object at path. inherited is the nearest ancestor's
// effective synthesizer (§2.4).
func (p planParser) plan(obj map[string]any, path string, inherited *domain.Target) *domain.Plan {
	p.unknownKeys(obj, path, planKeys)
	plan := &domain.Plan{}
	if a, ok := obj["analyzer"]; ok {
		if t, ok := p.target(a, path+".analyzer", "analyzer"); ok {
			plan.Analyzer = t
		}
	} else {
		p.ps.add("Workflow node at %s is missing the required `analyzer` field", path)
	}
	plan.Selector = p.optionalTarget(obj, path, "selector")
	plan.Synthesizer = p.optionalTarget(obj, path, "synthesizer")
	_, hasSel := obj["selector"]
	_, hasSyn := obj["synthesizer"]
	if !hasSel && !hasSyn && inherited != nil {
		t := *inherited
		plan.Synthesizer = &t
	}
	if !hasSel && !hasSyn && inherited == nil {
		p.ps.add("Workflow node at %s must define at least one of `synthesizer` or `selector`", path)
	}
	childInherit := inherited
	if plan.Synthesizer != nil {
		childInherit = plan.Synthesizer
	}
	plan.Workers = p.workers(obj, path, childInherit)
	return plan
}

func (p planParser) optionalTarget(obj map[string]any, path, field string) *domain.Target {
	v, ok := obj[field]
	if !ok {
		return nil
	}
	if _, isObj := v.(map[string]any); !isObj {
		p.ps.add("Workflow node at %s has an invalid `%s` field; expected an object with `ref` or `name`.", path, field)
		return nil
	}
	t, ok := p.target(v, path+"."+field, field)
	if !ok {
		return nil
	}
	return &t
}

func (p planParser) workers(obj map[string]any, path string, inherit *domain.Target) []domain.Node {
	v, ok := obj["workers"]
	if !ok {
		p.ps.add("Workflow node at %s is missing the required `workers` field; provide at least one worker entry", path)
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		p.ps.add("Workflow node at %s has an invalid `workers` field; expected an array", path)
		return nil
	}
	if len(list) == 0 {
		p.ps.add("Workflow node at %s has no workers; provide at least one worker entry", path)
	}
	nodes := make([]domain.Node, 0, len(list))
	for i, el := range list {
		if n := p.worker(el, fmt.Sprintf("%s.workers[%d]", path, i), inherit); n != nil {
			nodes = append(nodes, n)
		}
	}
	return nodes
}

// worker classifies one worker entry in the original's order (§2.3).
func (p planParser) worker(v any, path string, inherit *domain.Target) domain.Node {
	switch e := v.(type) {
	case string:
		if strings.TrimSpace(e) == "" {
			p.ps.add("Workflow worker at %s is an empty model name", path)
			return nil
		}
		p.ref(e, path)
		return domain.ModelNode{Target: domain.Target{Model: e}}
	case map[string]any:
		if hasAny(e, planKeys...) {
			if _, ok := e["analyzer"]; !ok {
				p.ps.add("Nested workflow worker at %s is missing required `analyzer` field. Each nested workflow must include an `analyzer` configuration.", path)
				return nil
			}
			return domain.SubWorkflowNode{Plan: p.plan(e, path, inherit)}
		}
		if hasAny(e, "name", "ref") {
			t, ok := p.target(e, path, "worker")
			if !ok {
				return nil
			}
			return domain.ModelNode{Target: t}
		}
		p.ps.add("Workflow worker at %s must either specify a `name`/`ref` model or a nested workflow with `analyzer`, `workers`, and `synthesizer` fields", path)
	default:
		p.ps.add("Workflow worker entries must be JSON objects or string model references, got %s at %s", compactJSON(v), path)
	}
	return nil
}

// target parses an analyzer/selector/synthesizer/model-worker object.
func (p planParser) target(v any, path, role string) (domain.Target, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		p.ps.add("Workflow %s at %s must be an object with `ref` or `name`, got %s", role, path, compactJSON(v))
		return domain.Target{}, false
	}
	before := len(p.ps.list)
	p.unknownKeys(obj, path, targetKeys)
	var t domain.Target
	ref, hasRef := obj["ref"]
	name, hasName := obj["name"]
	switch {
	case hasRef && hasName:
		p.ps.add("Workflow %s at %s sets both `ref` and `name`; use one of them", role, path)
	case !hasRef && !hasName:
		p.ps.add("Workflow %s at %s must name a model with `ref` or `name`", role, path)
	default:
		model, key := ref, "ref"
		if hasName {
			model, key = name, "name"
		}
		s, ok := model.(string)
		if !ok || strings.TrimSpace(s) == "" {
			p.ps.add("Workflow %s at %s must name a model with a non-empty string, got %s", role, path, compactJSON(model))
		} else {
			p.ref(s, path+"."+key)
		}
		t.Model = s
	}
	if tv, ok := obj["temperature"]; ok {
		f, isNum := tv.(float64)
		switch {
		case !isNum:
			p.ps.add("Workflow %s at %s has a non-numeric temperature %s", role, path, compactJSON(tv))
		case f < 0 || f > 2:
			p.ps.add("Workflow %s at %s has temperature %g outside [0, 2]", role, path, f)
		default:
			t.Temperature = domain.SomeFloat(f)
		}
	}
	if av, ok := obj["auto_temperature"]; ok {
		b, isBool := av.(bool)
		if !isBool {
			p.ps.add("Workflow %s at %s has a non-boolean auto_temperature %s", role, path, compactJSON(av))
		} else {
			t.AutoTemperature = domain.SomeBool(b)
		}
	}
	return t, len(p.ps.list) == before
}

// ref records one model reference and where it is written.
func (p planParser) ref(model, path string) {
	if p.legacy {
		path = legacyRefPath(path)
	}
	if p.refs != nil {
		*p.refs = append(*p.refs, modelRef{model: model, path: path})
	}
}

func (p planParser) unknownKeys(obj map[string]any, path string, allowed []string) {
	var unknown []string
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if !contains(allowed, k) {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) > 0 {
		p.ps.add("Workflow node at %s has unknown key(s) %s; allowed: %s", path, strings.Join(unknown, ", "), strings.Join(allowed, ", "))
	}
}

func hasAny(obj map[string]any, keys ...string) bool {
	for _, k := range keys {
		if _, ok := obj[k]; ok {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, el := range list {
		if el == s {
			return true
		}
	}
	return false
}

// compactJSON renders a decoded JSON value for a message, shortened.
func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	const limit = 60
	if len(b) > limit {
		return string(b[:limit]) + "…"
	}
	return string(b)
}
