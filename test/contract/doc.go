// Package contract validates JSON answers against the official wire
// specifications copied verbatim into official/: OpenAI's OpenAPI document,
// Ollama's OpenAPI document and the response examples of Ollama's API doc.
//
// The OpenAPI schemas are JSON Schema 2020-12 once two OpenAPI-isms are
// rewritten (see convert.go); santhosh-tekuri/jsonschema compiles them. Only
// tests import this package, so the documents stay out of the chorus binary.
package contract
