// Package ollama holds Ollama's chat wire types once, for every side that
// speaks them: the inbound HTTP adapter (answers it renders, requests it
// decodes), the outbound Ollama client (requests it sends, answers it
// decodes) and the test fakes. The shapes follow Ollama's docs/api.md and
// docs/openapi.yaml (test/contract/official); Chorus-only extensions stay
// with the adapter that adds them.
package ollama
