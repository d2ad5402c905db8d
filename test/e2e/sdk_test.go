package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// TestOfficialOpenAISDK drives the server with github.com/openai/openai-go/v3.
func TestOfficialOpenAISDK(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 4}})
	client := openai.NewClient(option.WithBaseURL(s.base+"/v1/"), option.WithAPIKey("unused"),
		option.WithHTTPClient(s.client), option.WithMaxRetries(0))
	synthAnswer := func(t *testing.T) string {
		return fakeupstream.AnswerFor(lastCallTo(t, s.fake.Requests(), mSynth)).Text
	}

	t.Run("models list starts with the workflow", func(t *testing.T) {
		page, err := client.Models.List(t.Context())
		require.NoError(t, err)
		var ids []string
		for _, m := range page.Data {
			ids = append(ids, m.ID)
		}
		require.Equal(t, allModels, ids)
	})
	t.Run("chat completion non-stream", func(t *testing.T) {
		s.fake.Reset()
		c, err := client.Chat.Completions.New(t.Context(), openai.ChatCompletionNewParams{
			Model:    workflowName,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.SystemMessage("Be brief."), openai.UserMessage("sdk chat")},
		})
		require.NoError(t, err)
		require.Equal(t, synthAnswer(t), c.Choices[0].Message.Content)
		require.Equal(t, "stop", c.Choices[0].FinishReason)
		require.Positive(t, c.Usage.TotalTokens)
		require.NotZero(t, c.Created)
	})
	t.Run("chat completion stream accumulated", func(t *testing.T) {
		s.fake.Reset()
		stream := client.Chat.Completions.NewStreaming(t.Context(), openai.ChatCompletionNewParams{
			Model:         workflowName,
			Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("sdk stream")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
		})
		var acc openai.ChatCompletionAccumulator
		chunks := 0
		for stream.Next() {
			require.True(t, acc.AddChunk(stream.Current()))
			chunks++
		}
		require.NoError(t, stream.Err())
		require.Greater(t, chunks, 2)
		require.Equal(t, synthAnswer(t), acc.Choices[0].Message.Content)
		require.Equal(t, "stop", acc.Choices[0].FinishReason)
		require.Positive(t, acc.Usage.TotalTokens)
	})
	t.Run("chat completion passthrough with a tool call", func(t *testing.T) {
		c, err := client.Chat.Completions.New(t.Context(), openai.ChatCompletionNewParams{
			Model:    mWorkerOAI,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(fakeupstream.ToolTrigger + " sdk")},
			Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{
				Name: "lookup", Parameters: openai.FunctionParameters{"type": "object"},
			})},
		})
		require.NoError(t, err)
		require.Equal(t, "tool_calls", c.Choices[0].FinishReason)
		require.Equal(t, "lookup", c.Choices[0].Message.ToolCalls[0].Function.Name)
		require.JSONEq(t, `{"query":"sdk"}`, c.Choices[0].Message.ToolCalls[0].Function.Arguments)
	})

	// Every answer the SDK read (models, chat, the stream) went through the
	// stack client's recorder and met the official document.
	require.GreaterOrEqual(t, s.official.Checked(), 4)
	require.NoError(t, s.official.Problems())
}

// The legacy completions and the Responses API through the official SDK.
func TestOfficialOpenAISDKCompletionsAndResponses(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Chunks: 4}})
	client := openai.NewClient(option.WithBaseURL(s.base+"/v1/"), option.WithAPIKey("unused"),
		option.WithHTTPClient(s.client), option.WithMaxRetries(0))
	synthAnswer := func(t *testing.T) string {
		return fakeupstream.AnswerFor(lastCallTo(t, s.fake.Requests(), mSynth)).Text
	}

	t.Run("legacy completion", func(t *testing.T) {
		s.fake.Reset()
		c, err := client.Completions.New(t.Context(), openai.CompletionNewParams{
			Model:  workflowName,
			Prompt: openai.CompletionNewParamsPromptUnion{OfString: openai.String("sdk completion")},
		})
		require.NoError(t, err)
		require.Equal(t, synthAnswer(t), c.Choices[0].Text)
	})
	t.Run("responses non-stream", func(t *testing.T) {
		s.fake.Reset()
		r, err := client.Responses.New(t.Context(), responses.ResponseNewParams{
			Model:        workflowName,
			Instructions: openai.String("Be brief."),
			Input:        responses.ResponseNewParamsInputUnion{OfString: openai.String("sdk responses")},
		})
		require.NoError(t, err)
		require.Equal(t, responses.ResponseStatusCompleted, r.Status)
		require.Equal(t, synthAnswer(t), r.OutputText())
		require.Positive(t, r.Usage.TotalTokens)
	})
	t.Run("responses stream", func(t *testing.T) {
		s.fake.Reset()
		stream := client.Responses.NewStreaming(t.Context(), responses.ResponseNewParams{
			Model: workflowName,
			Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("sdk responses stream")},
		})
		var deltas strings.Builder
		var completed string
		var types []string
		for stream.Next() {
			ev := stream.Current()
			types = append(types, ev.Type)
			switch ev.Type {
			case "response.output_text.delta":
				deltas.WriteString(ev.Delta)
			case "response.completed":
				completed = ev.Response.OutputText()
			}
		}
		require.NoError(t, stream.Err())
		require.Equal(t, "response.created", types[0])
		require.Equal(t, "response.completed", types[len(types)-1])
		require.Equal(t, synthAnswer(t), deltas.String())
		require.Equal(t, deltas.String(), completed)
	})

	// Every answer the SDK read (completion, Responses, the stream) went
	// through the stack client's recorder and met the official document.
	require.GreaterOrEqual(t, s.official.Checked(), 3)
	require.NoError(t, s.official.Problems())
}
