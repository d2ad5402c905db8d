package domain

// LLMLimit is an upstream answer that crossed one of Chorus's own bounds
// (an oversized stream event, answer or stream, or a stream that ran too
// long): it was cut so one upstream cannot exhaust the process.
const LLMLimit LLMErrorKind = "limit_exceeded"
