// Package app is Chorus' use case: it answers a chat request either by
// passing it through to one configured model or by running the workflow
// (analyzer → concurrent workers → selector → synthesizer) through the
// ports.ChatModel port, recording an execution trace and OpenTelemetry
// spans. It knows nothing of HTTP, JSON wire formats or providers.
package app
