package upstream

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestFinishReason_defaults_and_tool_calls(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		tools  bool
		want   string
	}{
		{name: "absent is stop", reason: "", want: domain.FinishStop},
		{name: "length is kept", reason: "length", want: "length"},
		{name: "stop with tool calls is tool_calls", reason: domain.FinishStop, tools: true, want: domain.FinishToolCalls},
		{name: "absent with tool calls is tool_calls", reason: "", tools: true, want: domain.FinishToolCalls},
		{name: "length with tool calls is kept", reason: "length", tools: true, want: "length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, FinishReason(tt.reason, tt.tools))
		})
	}
}

func TestErrorField_reads_an_embedded_error(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		wantNil  bool
		wantKind domain.LLMErrorKind
		wantMsg  string
	}{
		{name: "absent", raw: "", wantNil: true},
		{name: "null", raw: "null", wantNil: true},
		{name: "a string", raw: `"model not found"`, wantKind: domain.LLMBadResponse, wantMsg: "model not found"},
		{name: "an object with a numeric code", raw: `{"message":"rate limited","code":429}`, wantKind: domain.LLMStatus, wantMsg: "rate limited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lerr := ErrorField(json.RawMessage(tt.raw))
			if tt.wantNil {
				require.Nil(t, lerr)
				return
			}
			require.NotNil(t, lerr)
			require.Equal(t, tt.wantKind, lerr.Kind)
			require.Contains(t, lerr.Message, tt.wantMsg)
		})
	}
}
