// Package upstream is the load benchmark's fake LLM provider: a cheap,
// fixed-latency server speaking the OpenAI Chat Completions wire format, both
// the JSON answer and the SSE stream (chat.completion.chunk events ending
// with "data: [DONE]").
//
// It is built to cost as little CPU as possible, since it shares one core
// with the load generator: the answers are encoded once, the request body is
// only scanned for `"stream":true`, `"include_usage":true` and a
// "bench-id:<n>" marker. For every call carrying a marker it records when
// the call started and ended (TakeSpans), and for a streamed one when its
// first content chunk was sent (FirstChunk), so a benchmark can separate a
// gateway's own time from the upstream's and measure its time to first
// token against the upstream's first token on the same clock.
package upstream
