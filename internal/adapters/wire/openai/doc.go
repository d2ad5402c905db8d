// Package openai holds OpenAI's wire types once, for every side that speaks
// them: the inbound HTTP adapter (requests it decodes, the chat.completion,
// chunk, text_completion, Responses, model and error objects it renders),
// the outbound OpenAI-compatible client (requests it sends, answers it
// decodes, through its fast decoders) and the test fake upstream. The
// shapes follow OpenAI's OpenAPI document (test/contract/official);
// Chorus-only extensions (the workflow trace) stay with the adapter that
// adds them, by embedding.
package openai
