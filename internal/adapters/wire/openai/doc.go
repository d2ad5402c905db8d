// Package openai holds OpenAI's Chat Completions wire types once, for every
// side that speaks them: the outbound OpenAI-compatible client (requests it
// sends), the shared tool definition of both upstream dialects and the test
// fakes (requests they decode). The shapes follow OpenAI's OpenAPI document
// (test/contract/official).
package openai
