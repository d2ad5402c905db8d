package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOpenAPIYAMLIsTheBundleOfItsSource fails when api/openapi.yaml was edited
// by hand, or its source or an official copy changed without `make generate`.
func TestOpenAPIYAMLIsTheBundleOfItsSource(t *testing.T) {
	src, err := os.ReadFile("../../openapi.chorus.yaml")
	require.NoError(t, err)
	want, err := Bundle(src, "../..")
	require.NoError(t, err)
	got, err := os.ReadFile("../../openapi.yaml")
	require.NoError(t, err)
	require.True(t, bytes.Equal(want, got), "api/openapi.yaml is stale: run `make generate`")
}

func TestBundleRefusesAComponentNamedLikeAnOfficialCopy(t *testing.T) {
	src := `openapi: 3.1.0
components:
  schemas:
    ErrorResponse:
      type: object
    Answer:
      $ref: "../test/contract/official/openai-openapi.yaml#/components/schemas/ErrorResponse"
`
	_, err := Bundle([]byte(src), "../..")
	require.ErrorContains(t, err, "components.schemas.ErrorResponse is defined in the source")
}

func TestBundleCopiesWhatACopyReferences(t *testing.T) {
	src := `openapi: 3.1.0
components:
  schemas:
    Answer:
      $ref: "../test/contract/official/ollama-openapi.yaml#/components/schemas/ChatResponse"
`
	out, err := Bundle([]byte(src), "../..")
	require.NoError(t, err)
	for _, want := range []string{
		`$ref: "#/components/schemas/OllamaChatResponse"`,
		"    OllamaChatResponse:",
		"    OllamaToolCall:", // referenced by ChatResponse.message.tool_calls
		`$ref: "#/components/schemas/OllamaToolCall"`,
		"  OllamaChatResponse: ollama-openapi.yaml#/components/schemas/ChatResponse",
	} {
		require.Contains(t, string(out), want, "missing %q in\n%s", want, out)
	}
}
