package contract

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/chorus-ai/chorus/api"
)

// chorusSpec is api/openapi.yaml decoded, with its list of official copies.
type chorusSpec struct {
	schemas  map[string]any
	official map[string]string // local name → "file#/components/schemas/Name"
	doc      map[string]any
}

func loadChorusSpec(t *testing.T) chorusSpec {
	t.Helper()
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(api.Spec, &doc))
	schemas, err := componentSchemas(doc)
	require.NoError(t, err)
	official := map[string]string{}
	for name, src := range asMap(doc["x-chorus-official-components"]) {
		official[name], _ = src.(string)
	}
	require.NotEmpty(t, official, "api/openapi.yaml lists no official components")
	return chorusSpec{schemas: schemas, official: official, doc: doc}
}

// TestChorusSpecCopiesOfficialComponentsVerbatim proves that every component
// api/openapi.yaml says it copied is the official one, unchanged but for the
// names of the components it references (Ollama's copies carry a prefix).
func TestChorusSpecCopiesOfficialComponentsVerbatim(t *testing.T) {
	spec := loadChorusSpec(t)
	localOf := map[string]string{} // "file#/components/schemas/Name" → local name
	for local, src := range spec.official {
		localOf[src] = local
	}
	docs := map[string]map[string]any{}
	for _, local := range slices.Sorted(maps.Keys(spec.official)) {
		file, pointer, _ := strings.Cut(spec.official[local], "#")
		if docs[file] == nil {
			raw, err := readOfficial(file)
			require.NoError(t, err)
			var d map[string]any
			require.NoError(t, yaml.Unmarshal(raw, &d))
			docs[file], err = componentSchemas(d)
			require.NoError(t, err)
		}
		want := docs[file][strings.TrimPrefix("#"+pointer, schemasPrefix)]
		require.NotNil(t, want, "%s: no %s in %s", local, pointer, file)
		want = renameRefs(t, want, file, localOf)
		require.Equal(t, want, spec.schemas[local], "api/openapi.yaml's %s differs from %s", local, spec.official[local])
	}
}

// renameRefs returns a copy of an official schema whose references name
// the copies in api/openapi.yaml (each must have been copied too).
func renameRefs(t *testing.T, v any, file string, localOf map[string]string) any {
	t.Helper()
	switch n := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(n))
		for k, e := range n {
			if ref, ok := e.(string); ok && k == "$ref" {
				local, copied := localOf[file+ref]
				require.True(t, copied, "%s%s is referenced by a copy but not copied", file, ref)
				out[k] = schemasPrefix + local
				continue
			}
			out[k] = renameRefs(t, e, file, localOf)
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, e := range n {
			out[i] = renameRefs(t, e, file, localOf)
		}
		return out
	}
	return v
}

// TestChorusSpecSharesOnlyOfficialObjects walks every request and answer
// schema of the OpenAI (/v1/*) and Ollama (/api/*) routes: each must be an
// official copy, a schema marked `x-chorus-extension: true`, or an
// allOf/anyOf/oneOf of those — never an unmarked look-alike of an official
// object.
func TestChorusSpecSharesOnlyOfficialObjects(t *testing.T) {
	spec := loadChorusSpec(t)
	responses := asMap(asMap(spec.doc["components"])["responses"])
	checked := 0
	for route, item := range asMap(spec.doc["paths"]) {
		if !strings.HasPrefix(route, "/v1/") && !strings.HasPrefix(route, "/api/") {
			continue
		}
		for method, op := range asMap(item) {
			if method == "parameters" {
				continue
			}
			at := strings.ToUpper(method) + " " + route
			var media []any
			for _, content := range []any{asMap(asMap(op)["requestBody"])["content"]} {
				media = append(media, mediaSchemas(content)...)
			}
			for _, resp := range asMap(asMap(op)["responses"]) {
				if ref, ok := asMap(resp)["$ref"].(string); ok {
					resp = responses[strings.TrimPrefix(ref, "#/components/responses/")]
				}
				media = append(media, mediaSchemas(asMap(resp)["content"])...)
			}
			if method != "head" {
				require.NotEmpty(t, media, "%s documents no body", at)
			}
			for _, s := range media {
				require.NoError(t, spec.sharedOrMarked(s, nil), at)
				checked++
			}
		}
	}
	require.Greater(t, checked, 30)
	require.Error(t, spec.sharedOrMarked(map[string]any{"type": "object", "properties": map[string]any{}}, nil),
		"an unmarked inline object must be refused")
}

func mediaSchemas(content any) []any {
	var out []any
	for _, m := range asMap(content) {
		if s, ok := asMap(m)["schema"]; ok {
			out = append(out, s)
		}
	}
	return out
}

// sharedOrMarked accepts an official copy, a marked extension, a plain
// string (text/plain bodies), or a composition of those.
func (spec chorusSpec) sharedOrMarked(s any, seen []string) error {
	n := asMap(s)
	if ref, ok := n["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, schemasPrefix)
		if _, official := spec.official[name]; official {
			return nil
		}
		if slices.Contains(seen, name) {
			return nil
		}
		if err := spec.sharedOrMarked(spec.schemas[name], append(seen, name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	if n["x-chorus-extension"] == true || (n["type"] == "string" && len(n) == 1) {
		return nil
	}
	members := 0
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		for _, m := range asSlice(n[kw]) {
			if err := spec.sharedOrMarked(m, seen); err != nil {
				return err
			}
			members++
		}
	}
	if members == 0 {
		return fmt.Errorf("neither an official component nor marked x-chorus-extension: %v", n)
	}
	for k := range n {
		if k != "allOf" && k != "anyOf" && k != "oneOf" && k != "description" {
			return fmt.Errorf("a composition may only add a description, not %q", k)
		}
	}
	return nil
}
