package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestOutputFormatChecksJSONAndSchemas(t *testing.T) {
	schema := domain.RawJSON(`{"type":"json_schema","json_schema":{"name":"c","schema":{"type":"object","required":["city"],"properties":{"city":{"type":"string"}}}}}`)
	for _, tc := range []struct {
		name, format, text, want, err string
	}{
		{"json_object takes an object", `{"type":"json_object"}`, ` {"a":1} `, `{"a":1}`, ""},
		{"json_object refuses an array", `{"type":"json_object"}`, `[1]`, "", "not a JSON object"},
		{"a code fence is removed", string(schema), "```json\n{\"city\":\"Paris\"}\n```", `{"city":"Paris"}`, ""},
		{"prose is not JSON", string(schema), "Paris", "", "not valid JSON"},
		{"a schema violation is named", string(schema), `{"city":1}`, "", "does not match the schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newOutputFormat(domain.RawJSON(tc.format))
			require.True(t, f.active())
			got, err := f.check(tc.text)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	require.False(t, newOutputFormat(domain.RawJSON(`{"type":"text"}`)).active())
}

func TestOutputFormatLoadsNoExternalSchema(t *testing.T) {
	// A valid schema on disk: a default loader would read and use it.
	path := filepath.Join(t.TempDir(), "s.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"type":"object"}`), 0o600))
	f := newOutputFormat(domain.RawJSON(`{"type":"json_schema","json_schema":{"schema":{"$ref":"file://` + filepath.ToSlash(path) + `"}}}`))
	require.Nil(t, f.schema, "an external $ref is not loaded")
	require.Contains(t, f.note, "schema not enforced")
	_, err := f.check(`{"x":1}`)
	require.NoError(t, err, "the answer must still be JSON")
}

func TestToolPolicyReadsEveryToolChoiceForm(t *testing.T) {
	for raw, want := range map[string][2]string{
		``:           {choiceAuto, ""},
		`"none"`:     {choiceNone, ""},
		`"required"`: {choiceRequired, ""},
		`"auto"`:     {choiceAuto, ""},
		`{"type":"function","function":{"name":"f"}}`: {choiceFunction, "f"},
		`{"type":"function","name":"g"}`:              {choiceFunction, "g"},
		`{"type":"allowed_tools","mode":"auto"}`:      {choiceAuto, ""},
	} {
		c, f := parseToolChoice(domain.RawJSON(raw))
		require.Equal(t, want, [2]string{c, f}, raw)
	}
}

func TestFinalToolCallsHaveUniqueIDs(t *testing.T) {
	got := finalToolCalls("0123456789abcdef", []domain.ToolCall{{ID: "x", Name: "a"}, {ID: "x", Name: "b"}, {Name: "c"}})
	require.Equal(t, "x", got[0].ID)
	require.Equal(t, "call_0123456789ab_1", got[1].ID)
	require.Equal(t, "call_0123456789ab_2", got[2].ID)
	require.Equal(t, []int{0, 1, 2}, []int{got[0].Index, got[1].Index, got[2].Index})
}
