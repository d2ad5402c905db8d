package upstream

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxMessage bounds an upstream error message copied into an LLMError.
const maxMessage = 300

// messageKeys are the fields providers put an error message in.
var messageKeys = []string{"message", "msg", "error_message", "error_msg", "detail", "cause"}

// ErrorMessage extracts the upstream's error message from an error body:
// {"error":{"message":…}}, {"error":"…"}, {"message":…} or {"detail":…};
// anything else yields the body itself, whitespace-collapsed and truncated.
func ErrorMessage(body []byte) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) == nil {
		if raw, ok := obj["error"]; ok {
			if msg := rawMessage(raw); msg != "" {
				return Truncate(msg, maxMessage)
			}
		}
		if msg := firstString(obj, messageKeys); msg != "" {
			return Truncate(msg, maxMessage)
		}
	}
	return Truncate(strings.Join(strings.Fields(string(body)), " "), maxMessage)
}

// rawMessage reads an "error" value: a string, or an object with a message.
func rawMessage(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	return firstString(obj, messageKeys)
}

// firstString returns the first non-empty scalar under keys, as text.
func firstString(obj map[string]json.RawMessage, keys []string) string {
	for _, k := range keys {
		if s := scalar(obj[k]); s != "" {
			return s
		}
	}
	return ""
}

// scalar renders a JSON string, number or bool as text; "" otherwise.
func scalar(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// ProviderError detects an error reported inside a 2xx body, as some
// providers do (the original's §5.2 rules, simplified): an "error" key, a
// "status" or "code" that is not 0/200/ok, or "success": false. It returns
// the message and the numeric code when one was given.
func ProviderError(body []byte) (msg string, code int, ok bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return "", 0, false
	}
	if raw, found := obj["error"]; found && string(raw) != "null" {
		msg = rawMessage(raw)
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) == nil {
			code = numericCode(firstString(inner, []string{"code", "status"}))
		}
		if msg == "" {
			msg = Truncate(string(raw), maxMessage)
		}
		return Truncate(msg, maxMessage), code, true
	}
	for _, key := range []string{"status", "code"} {
		s := scalar(obj[key])
		if s == "" || !isErrorStatus(s) {
			continue
		}
		detail := firstString(obj, messageKeys)
		msg = key + " " + s
		if detail != "" {
			msg += ": " + detail
		}
		return Truncate(msg, maxMessage), numericCode(s), true
	}
	if string(obj["success"]) == "false" {
		msg = firstString(obj, append(messageKeys, "error"))
		if msg == "" {
			msg = "success flag was false"
		}
		return Truncate(msg, maxMessage), 0, true
	}
	return "", 0, false
}

// isErrorStatus applies the original's rules to a status/code value.
func isErrorStatus(s string) bool {
	if n, err := strconv.Atoi(s); err == nil {
		return n != 0 && n != 200
	}
	l := strings.ToLower(s)
	switch l {
	case "ok", "success", "succeeded", "true":
		return false
	case "false":
		return true
	}
	for _, w := range []string{"error", "fail", "invalid", "denied", "unauthorized"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// numericCode returns s as an HTTP-like status code, or 0.
func numericCode(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 || n > 999 {
		return 0
	}
	return n
}

// Truncate shortens s to at most n runes, marking the cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			break
		}
		count++
	}
	return s[:i] + "…"
}
