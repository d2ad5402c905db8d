// Package api embeds Chorus' OpenAPI 3.1 description of its HTTP API, served
// at /openapi.yaml and used by contract tests and generated clients.
package api

import _ "embed" // embeds openapi.yaml

// Spec is the OpenAPI 3.1 document (YAML) describing every Chorus route.
//
//go:embed openapi.yaml
var Spec []byte
