// Package apitest loads Chorus' OpenAPI document for the contract tests
// (the HTTP adapter's and the end-to-end suite's). Only tests import it, so
// kin-openapi stays out of the chorus binary.
package apitest

import (
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/chorus-ai/chorus/api"
)

// OfficialQuirks are what kin-openapi needs to accept the official OpenAI
// components the document copies verbatim: two JSON Schema 2019-09 keywords
// ($recursiveRef and its anchor, in CompoundFilter) that kin-openapi does not
// know, and examples of OpenAI's own that do not match its schemas (the
// Response example has `"user": null` on a non-nullable string). Chorus's
// answers are still checked against the schemas themselves.
var OfficialQuirks = []openapi3.ValidationOption{
	openapi3.AllowExtraSiblingFields("$recursiveRef", "$recursiveAnchor"),
	openapi3.DisableExamplesValidation(),
}

// document parses and validates api.Spec once per test binary.
var document = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(loader.Context, OfficialQuirks...); err != nil {
		return nil, fmt.Errorf("validate api/openapi.yaml: %w", err)
	}
	return doc, nil
})

// Document returns api/openapi.yaml loaded and validated as OpenAPI. It is
// parsed once and shared by every caller in the test binary, so callers
// must not modify it (copy the top-level struct to change a field).
func Document() (*openapi3.T, error) {
	return document()
}
