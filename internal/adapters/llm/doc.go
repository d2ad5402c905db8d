// Package llm wires the outbound ChatModel adapters: it builds one client
// per configured [[model]] (openai, ollama or echo), shares one keep-alive
// HTTP transport per upstream host, and resolves model names for the app.
package llm
