// Package upstream is the load benchmark's fake LLM provider: a cheap,
// fixed-latency server speaking the OpenAI Chat Completions wire format, both
// the JSON answer and the SSE stream (chat.completion.chunk events ending
// with "data: [DONE]").
//
// It is built to cost as little CPU as possible, since it shares one core
// with the load generator: the answers are encoded once, the request body is
// only scanned for `"stream":true`, `"include_usage":true` and a
// "bench-id:<n>" marker. For a streamed request carrying a marker it records
// when its first content chunk was flushed, so a benchmark can measure a
// gateway's time to first token against the upstream's own first token on
// the same clock.
package upstream
