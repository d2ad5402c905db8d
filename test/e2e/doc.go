// Package e2e holds Chorus' black-box suite: it starts the real wiring
// (bootstrap.ServeListener, the same code cmd/chorus runs) on a loopback port
// with a TOML config loaded by config.Load, against in-process fake OpenAI
// and Ollama upstreams (test/fakeupstream), and drives every public route.
// Non-stream responses are validated against api/openapi.yaml; the official
// openai-go SDK is used as a client; a fault-mix run checks reliability.
package e2e
