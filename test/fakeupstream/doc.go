// Package fakeupstream is Chorus's one fake LLM provider, for every test
// and the load benchmark. It speaks the real OpenAI Chat Completions (JSON
// and SSE) and Ollama /api/chat (JSON and NDJSON) wire formats, rendered
// from the shared wire types (internal/adapters/wire), in three modes of
// the same Server:
//
//   - answering (the default): answers are deterministic functions of the
//     request; the engine's analyzer and selector prompts are recognised
//     and answered with the JSON they ask for, so a full Chorus workflow
//     runs against it. It offers configurable latency, chunk count and
//     spacing, failure injection (500, 401, 429, invalid JSON, empty body,
//     cut stream, slow), scripted answers (tool calls, malformed
//     arguments), request recording and counters, and observation of
//     in-flight and client-canceled requests.
//   - scripted (Start, Config.Handler): a test writes an upstream's exact
//     answer with a Dialect (or raw bytes, or a cut connection); requests
//     are recorded as received and TCP connections counted.
//   - pre-encoded (Config.Preencoded): the load benchmark's fixed answer,
//     rendered once at start, served from bytes with a fixed latency; a
//     request body is only scanned, never decoded, and calls carrying a
//     MarkerPrefix marker are timed (TakeSpans, FirstChunk).
package fakeupstream
