package fakeupstream_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func TestStructuredAnswerFollowsTheRequestedSchema(t *testing.T) {
	schema := `{"type":"object","properties":{"city":{"type":"string"},"temp":{"type":"number"},"sunny":{"type":"boolean"},` +
		`"tags":{"type":"array","items":{"type":"string"}},"unit":{"type":"string","enum":["C","F"]},` +
		`"note":{"anyOf":[{"type":"string"},{"type":"null"}]}},"required":["city"],"additionalProperties":false}`
	want := `{"city":"m","temp":1,"sunny":true,"tags":["m"],"unit":"C","note":"m"}`
	for _, tc := range []struct {
		name, format, want string
	}{
		{"OpenAI json_schema", `{"type":"json_schema","json_schema":{"name":"w","strict":true,"schema":` + schema + `}}`, want},
		{"Ollama schema format", schema, want},
		{"OpenAI json_object", `{"type":"json_object"}`, `{"model":"m"}`},
		{"Ollama json", `"json"`, `{"model":"m"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := fakeupstream.StructuredAnswer(fakeupstream.Request{Model: "m", Kind: fakeupstream.KindChat, ResponseFormat: json.RawMessage(tc.format)})
			require.True(t, ok)
			require.JSONEq(t, tc.want, a.Text)
			require.Equal(t, "stop", a.Finish)
		})
	}
	for _, tc := range []struct {
		name string
		r    fakeupstream.Request
	}{
		{"no format", fakeupstream.Request{Kind: fakeupstream.KindChat}},
		{"text format", fakeupstream.Request{Kind: fakeupstream.KindChat, ResponseFormat: json.RawMessage(`{"type":"text"}`)}},
		{"a selector keeps its own answer", fakeupstream.Request{Kind: fakeupstream.KindSelector, ResponseFormat: json.RawMessage(`{"type":"json_object"}`)}},
	} {
		t.Run(tc.name+" is not scripted", func(t *testing.T) {
			_, ok := fakeupstream.StructuredAnswer(tc.r)
			require.False(t, ok)
		})
	}
}
