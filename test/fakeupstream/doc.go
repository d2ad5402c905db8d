// Package fakeupstream runs in-process fake LLM providers that speak the real
// OpenAI Chat Completions (JSON and SSE) and Ollama /api/chat (JSON and
// NDJSON) wire formats. Answers are deterministic functions of the request;
// the engine's analyzer and selector prompts are recognised and answered with
// the JSON they ask for, so a full Chorus workflow runs against it.
//
// A Server also offers what black-box, reliability and benchmark tests need:
// configurable latency, chunk count and spacing, failure injection (500, 401,
// invalid JSON, empty body, cut stream, slow), request recording and counters,
// and observation of in-flight and client-canceled requests.
package fakeupstream
