// Package api embeds Chorus' OpenAPI 3.1 description of its HTTP API, served
// at /openapi.yaml and used by contract tests and generated clients.
//
// openapi.yaml is generated: edit openapi.chorus.yaml, whose `$ref`s into
// test/contract/official/ name the official OpenAI and Ollama components,
// then run `make generate` (api/internal/bundle copies those components in
// verbatim, so the served document is self-contained).
package api

import _ "embed" // embeds openapi.yaml

//go:generate go run ./internal/bundle openapi.chorus.yaml openapi.yaml

// Spec is the OpenAPI 3.1 document (YAML) describing every Chorus route.
//
//go:embed openapi.yaml
var Spec []byte
