// Package upstream holds the HTTP machinery the OpenAI and Ollama adapters
// share: sending a request with safe retries, classifying failures into
// *domain.LLMError, extracting upstream error messages and redacting bodies
// for debug logs.
package upstream
