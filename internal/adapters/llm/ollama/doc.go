// Package ollama is the outbound ChatModel adapter for Ollama's native chat
// API (POST {api_base}/api/chat), streamed as NDJSON or not.
package ollama
