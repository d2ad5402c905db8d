// Package jsonstr decodes JSON string literals in one pass, exactly as
// encoding/json does, for the adapters' JSON fast paths: the HTTP API's
// request decoders and the LLM adapters' upstream response scanners.
package jsonstr
