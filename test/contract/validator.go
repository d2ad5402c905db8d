package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// Validator checks JSON documents against the component schemas of one
// official OpenAPI document. It is safe for concurrent use.
type Validator struct {
	url string

	mu       sync.Mutex // guards compiler and compiled: the compiler is not concurrent-safe
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

var (
	openAI = sync.OnceValues(func() (*Validator, error) { return load("openai-openapi.yaml") })
	ollama = sync.OnceValues(func() (*Validator, error) { return load("ollama-openapi.yaml") })
)

// OpenAI returns the validator over OpenAI's OpenAPI document (loaded once
// per test binary).
func OpenAI() (*Validator, error) { return openAI() }

// Ollama returns the validator over Ollama's OpenAPI document.
func Ollama() (*Validator, error) { return ollama() }

func load(file string) (*Validator, error) {
	raw, err := readOfficial(file)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parse %s: %w", file, err)
	}
	schemas, err := componentSchemas(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for name, s := range schemas {
		schemas[name] = toJSONSchema(s, name, schemas)
	}
	if err := deriveCompletionChunk(schemas); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	// A JSON round trip gives the compiler the number types it expects.
	js, err := json.Marshal(map[string]any{"components": map[string]any{"schemas": schemas}})
	if err != nil {
		return nil, fmt.Errorf("%s as JSON: %w", file, err)
	}
	tree, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return nil, fmt.Errorf("%s as JSON: %w", file, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "file:///official/" + file + ".json"
	if err := c.AddResource(url, tree); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &Validator{url: url, compiler: c, compiled: map[string]*jsonschema.Schema{}}, nil
}

// schema compiles (once) the named component schema.
func (v *Validator) schema(name string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.compiled[name]; ok {
		return s, nil
	}
	s, err := v.compiler.Compile(v.url + schemasPrefix + name)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", name, err)
	}
	v.compiled[name] = s
	return s, nil
}

// Validate checks one JSON document against the named component schema
// (e.g. "CreateChatCompletionResponse", "ResponseStreamEvent").
func (v *Validator) Validate(name string, body []byte) error {
	s, err := v.schema(name)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: not JSON: %w", name, err)
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
