package httpapi

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// sseFrame is one parsed SSE frame.
type sseFrame struct {
	event   string
	data    string
	comment bool
}

// parseSSE splits an SSE body into frames, keeping comment frames.
func parseSSE(t *testing.T, body string) []sseFrame {
	t.Helper()
	require.True(t, strings.HasSuffix(body, "\n\n"), "SSE body must end with a blank line: %q", body)
	var out []sseFrame
	for _, block := range strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n") {
		var f sseFrame
		for _, line := range strings.Split(block, "\n") {
			switch {
			case strings.HasPrefix(line, ":"):
				f.comment = true
			case strings.HasPrefix(line, "event: "):
				f.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				f.data = strings.TrimPrefix(line, "data: ")
			default:
				t.Fatalf("unexpected SSE line %q", line)
			}
		}
		out = append(out, f)
	}
	return out
}

// dataFrames returns the JSON objects of the non-comment, non-[DONE] frames.
func dataFrames(t *testing.T, frames []sseFrame) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, f := range frames {
		if f.comment || f.data == "[DONE]" {
			continue
		}
		out = append(out, decodeObject(t, f.data))
	}
	return out
}

// parseNDJSON decodes every line of an NDJSON body.
func parseNDJSON(t *testing.T, body string) []map[string]any {
	t.Helper()
	require.True(t, strings.HasSuffix(body, "\n"), "NDJSON body must end with a newline")
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		out = append(out, decodeObject(t, sc.Text()))
	}
	return out
}

func decodeObject(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m), "not a JSON object: %q", s)
	return m
}

// obj and arr navigate decoded JSON.
func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	require.True(t, ok, "want an object, got %#v", v)
	return m
}

func arr(t *testing.T, v any) []any {
	t.Helper()
	a, ok := v.([]any)
	require.True(t, ok, "want an array, got %#v", v)
	return a
}
