// Package httpapi is Chorus' inbound HTTP adapter: an Echo server speaking the
// Ollama and OpenAI wire formats (Chat Completions, Completions, Responses).
// It decodes each format into a domain.ChatRequest, calls the ports.Gateway
// use case and encodes the result, or the stream of deltas, in the client's
// format. Errors are rendered by one HTTPErrorHandler from one table.
package httpapi
