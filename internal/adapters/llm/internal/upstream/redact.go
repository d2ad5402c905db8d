package upstream

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Redaction limits for debug logs.
const (
	maxLoggedBody   = 512
	maxLoggedString = 32
)

// secretKeys are JSON fields dropped from logged bodies (case-insensitive).
var secretKeys = map[string]bool{
	"api_key": true, "apikey": true, "key": true, "token": true, "access_token": true,
	"authorization": true, "password": true, "secret": true,
}

// plainKeys are JSON fields whose short identifiers are logged unshortened.
var plainKeys = map[string]bool{
	"model": true, "role": true, "finish_reason": true, "done_reason": true, "object": true,
	"id": true, "type": true, "created_at": true, "tool_call_id": true, "system_fingerprint": true,
}

// Redact renders a body for a debug log. With full set it returns the body
// with only the secret masked; otherwise secret fields are removed, long
// strings are shortened to 32 characters plus "…(N chars)" and the result is
// cut to 512 bytes. Non-JSON bodies are reduced to their length.
func Redact(body []byte, full bool, secret string) string {
	if full {
		s := string(body)
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[REDACTED]")
		}
		return s
	}
	if len(body) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "[non-JSON body, " + strconv.Itoa(len(body)) + " bytes]"
	}
	out, err := json.Marshal(redactValue("", v))
	if err != nil {
		return "[unloggable body]"
	}
	s := string(out)
	if secret != "" {
		s = strings.ReplaceAll(s, secret, "[REDACTED]")
	}
	if len(s) > maxLoggedBody {
		cut := maxLoggedBody
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…(" + strconv.Itoa(len(out)) + " bytes)"
	}
	return s
}

// redactValue walks a decoded JSON value.
func redactValue(key string, v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if secretKeys[strings.ToLower(k)] {
				delete(t, k)
				continue
			}
			t[k] = redactValue(k, child)
		}
		return t
	case []any:
		for i, child := range t {
			t[i] = redactValue(key, child)
		}
		return t
	case string:
		if plainKeys[key] {
			return Truncate(t, 2*maxLoggedString)
		}
		return Shorten(t)
	}
	return v
}

// Shorten cuts s to 32 characters followed by "…(N chars)".
func Shorten(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= maxLoggedString {
		return s
	}
	count := 0
	for i := range s {
		if count == maxLoggedString {
			return s[:i] + "…(" + strconv.Itoa(n) + " chars)"
		}
		count++
	}
	return s
}
