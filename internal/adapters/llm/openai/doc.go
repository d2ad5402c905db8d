// Package openai is the outbound ChatModel adapter for OpenAI-compatible
// Chat Completions endpoints (POST {api_base}/chat/completions), streamed
// over SSE or not.
package openai
