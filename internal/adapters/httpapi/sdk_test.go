package httpapi

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports/mocks"
)

// newSDK starts the handler on loopback and returns an official OpenAI client for it.
func newSDK(t *testing.T) (openai.Client, *Server, *mocks.MockGateway) {
	t.Helper()
	s, gw := newTestServer(t)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return openai.NewClient(option.WithBaseURL(ts.URL+"/v1"), option.WithAPIKey("unused"), option.WithMaxRetries(0)), s, gw
}

func TestOpenAISDK(t *testing.T) {
	ctx := context.Background()
	t.Run("lists models", func(t *testing.T) {
		client, _, _ := newSDK(t)
		page, err := client.Models.List(ctx)
		require.NoError(t, err)
		require.Equal(t, "chorus", page.Data[0].ID)
	})
	t.Run("chat non-stream", func(t *testing.T) {
		client, _, gw := newSDK(t)
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(result("Hello"), nil)
		out, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model: "chorus", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
		require.NoError(t, err)
		require.Equal(t, "Hello", out.Choices[0].Message.Content)
		require.EqualValues(t, 12, out.Usage.TotalTokens)
	})
	t.Run("chat stream accumulates", func(t *testing.T) {
		client, _, gw := newSDK(t)
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(append([]domain.StreamEvent{keepAlive}, deltas("Hel", "lo")...), result("Hello"), nil))
		stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
			Model: "chorus", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
		var acc openai.ChatCompletionAccumulator
		for stream.Next() {
			acc.AddChunk(stream.Current())
		}
		require.NoError(t, stream.Err())
		require.Equal(t, "Hello", acc.Choices[0].Message.Content)
		require.Equal(t, "stop", acc.Choices[0].FinishReason)
		require.EqualValues(t, 12, acc.Usage.TotalTokens)
	})
	t.Run("chat stream error surfaces", func(t *testing.T) {
		client, _, gw := newSDK(t)
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(deltas("x"), domain.ChatResult{}, &domain.LLMError{Model: "m", Kind: domain.LLMConnection}))
		stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
			Model: "chorus", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}})
		for stream.Next() {
		}
		require.Error(t, stream.Err())
	})
}

// The legacy completions and the Responses API through the official SDK.
func TestOpenAISDKCompletionsAndResponses(t *testing.T) {
	ctx := context.Background()
	t.Run("completions", func(t *testing.T) {
		client, _, gw := newSDK(t)
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(result("done"), nil)
		out, err := client.Completions.New(ctx, openai.CompletionNewParams{
			Model: "chorus", Prompt: openai.CompletionNewParamsPromptUnion{OfString: openai.String("p")}})
		require.NoError(t, err)
		require.Equal(t, "done", out.Choices[0].Text)
	})
	t.Run("responses non-stream", func(t *testing.T) {
		client, _, gw := newSDK(t)
		gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(result("Hello"), nil)
		out, err := client.Responses.New(ctx, responses.ResponseNewParams{
			Model: "chorus", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("hi")}})
		require.NoError(t, err)
		require.Equal(t, "Hello", out.OutputText())
		require.EqualValues(t, 12, out.Usage.TotalTokens)
	})
	t.Run("responses stream", func(t *testing.T) {
		client, _, gw := newSDK(t)
		gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(append([]domain.StreamEvent{keepAlive}, deltas("Hel", "lo")...), result("Hello"), nil))
		stream := client.Responses.NewStreaming(ctx, responses.ResponseNewParams{
			Model: "chorus", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("hi")}})
		var text, completed string
		for stream.Next() {
			ev := stream.Current()
			switch ev.Type {
			case "response.output_text.delta":
				text += ev.Delta
			case "response.completed":
				completed = ev.Response.OutputText()
			}
		}
		require.NoError(t, stream.Err())
		require.Equal(t, "Hello", text)
		require.Equal(t, "Hello", completed)
	})
}
