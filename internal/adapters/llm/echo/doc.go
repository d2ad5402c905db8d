// Package echo is an offline, deterministic ChatModel for the demo and for
// tests: it answers from the request itself (model name, a digest of the
// conversation, the last user message), streams in several chunks, reports
// word-count usage, and answers the workflow's analyzer and selector prompts
// with JSON the engine parses.
package echo
