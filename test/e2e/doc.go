// Package e2e holds Chorus' black-box suite: it starts the real wiring
// (bootstrap.ServeListener, the same code cmd/chorus runs) on a loopback port
// with a TOML config loaded by config.Load, against in-process fake OpenAI
// and Ollama upstreams (test/fakeupstream), and drives every public route.
// Non-stream responses are validated against api/openapi.yaml, and every
// answer the stack's client reads (raw HTTP or the official openai-go SDK)
// against the official OpenAI/Ollama documents by test/contract's Recorder;
// a fault-mix run checks reliability.
package e2e
