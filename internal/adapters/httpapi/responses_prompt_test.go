package httpapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestResponsesConversation(t *testing.T) {
	sys := func(s string) domain.Message { return domain.Message{Role: domain.RoleSystem, Content: s} }
	user := func(s string) domain.Message { return domain.Message{Role: domain.RoleUser, Content: s} }
	asst := func(s string) domain.Message { return domain.Message{Role: domain.RoleAssistant, Content: s} }
	for _, tc := range []struct {
		name string
		body string
		want []domain.Message
	}{
		{"instructions alone become a system message", `{"instructions":"  Be helpful "}`, []domain.Message{sys("Be helpful")}},
		{"an input string is a trimmed user message", `{"input":"  Say hello  "}`, []domain.Message{user("Say hello")}},
		{"instructions and input keep their order", `{"instructions":"Be helpful","input":"Say hello"}`, []domain.Message{sys("Be helpful"), user("Say hello")}},
		{"an input message list keeps roles", `{"input":[{"role":"user","content":[{"type":"input_text","text":"Hi there"}]},{"role":"assistant","content":[{"type":"output_text","text":"Hello!"}]}]}`,
			[]domain.Message{user("Hi there"), asst("Hello!")}},
		{"content parts of type text and input_text are joined", `{"input":[{"type":"text","text":"First"},{"type":"input_text","text":"Second"}]}`,
			[]domain.Message{user("First\nSecond")}},
		{"messages are read with their roles", `{"messages":[{"role":"user","content":"ping"}]}`, []domain.Message{user("ping")}},
		{"a message with a text field and no content", `{"messages":[{"role":"developer","text":" rules "}]}`, []domain.Message{sys("rules")}},
		{"prompt mixes strings and objects", `{"prompt":["First",{"text":"Second"},{"content":[{"text":"Third"}]}]}`, []domain.Message{user("First\nSecond\nThird")}},
		{"input_text and scalars are plain text", `{"input_text":42,"prompt":true}`, []domain.Message{user("true\n42")}},
		{"mixed sources in order instructions, messages, input, prompt", `{"prompt":"P","input":{"role":"assistant","content":"A"},"messages":[{"role":"user","content":"M"}],"instructions":"I"}`,
			[]domain.Message{sys("I"), user("M"), asst("A"), user("P")}},
		{"an object without a role loses nothing but the role", `{"input":[{"content":[{"text":"deep"}]}]}`, []domain.Message{user("deep")}},
		{"images stay with their message; a function_call_output is a tool result", `{"input":[{"role":"user","content":[{"type":"input_image","image_url":"x"},{"type":"input_text","text":"see"}]},{"type":"function_call_output","call_id":"c","output":"o"}]}`,
			[]domain.Message{{Role: domain.RoleUser, Content: "see", Images: []string{"x"}}, {Role: domain.RoleTool, Content: "o", ToolCallID: "c"}}},
		{"parallel function_call items join one assistant turn; reasoning items are dropped", `{"input":[{"role":"user","content":"go"},{"type":"reasoning","summary":[{"type":"summary_text","text":"secret"}]},{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},{"type":"function_call","call_id":"c2","name":"g","arguments":"{\"a\":1}"},{"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"two"}]}]}`,
			[]domain.Message{user("go"), {Role: domain.RoleAssistant, ToolCalls: []domain.ToolCall{{ID: "c1", Name: "f", Arguments: "{}"}, {Index: 1, ID: "c2", Name: "g", Arguments: `{"a":1}`}}},
				{Role: domain.RoleTool, Content: "two", ToolCallID: "c2", Name: "g"}}},
		{"a message of only an image is kept", `{"input":[{"type":"message","role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,AAAA"}]}]}`,
			[]domain.Message{{Role: domain.RoleUser, Images: []string{"data:image/png;base64,AAAA"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f responsesPromptFields
			require.NoError(t, json.Unmarshal([]byte(tc.body), &f))
			got, err := responsesConversation(f)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestResponsesConversation_NothingUsableIsTheExact400(t *testing.T) {
	for _, body := range []string{`{}`, `{"input":""}`, `{"input":[],"messages":null,"instructions":"   "}`, `{"instructions":5}`} {
		t.Run(body, func(t *testing.T) {
			var f responsesPromptFields
			require.NoError(t, json.Unmarshal([]byte(body), &f))
			_, err := responsesConversation(f)
			require.ErrorIs(t, err, domain.ErrInvalidRequest)
			require.EqualError(t, err, "invalid request: missing input/messages/prompt/instructions")
		})
	}
}
