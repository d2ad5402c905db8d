package httpapi

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResponsesToolChoice_ForcedFunctionGetsTheChatShape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a forced function becomes the chat shape", `{"type":"function","name":"lookup"}`, `{"type":"function","function":{"name":"lookup"}}`},
		{"a chat-shaped choice is kept", `{"type":"function","function":{"name":"lookup"}}`, `{"type":"function","function":{"name":"lookup"}}`},
		{"a mode string is kept", `"required"`, `"required"`},
		{"another tool type is kept", `{"type":"file_search"}`, `{"type":"file_search"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _, err := decodeResponses([]byte(`{"model":"m","input":"hi","tool_choice":` + tt.in + `}`))
			require.NoError(t, err)
			require.JSONEq(t, tt.want, string(req.Params.ToolChoice))
		})
	}
	t.Run("no tool_choice stays unset", func(t *testing.T) {
		req, _, err := decodeResponses([]byte(`{"model":"m","input":"hi"}`))
		require.NoError(t, err)
		require.Nil(t, req.Params.ToolChoice)
	})
}
