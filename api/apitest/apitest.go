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

// document parses and validates api.Spec once per test binary.
var document = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
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
