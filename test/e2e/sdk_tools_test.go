package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// A tool result no other step returns, so finding it upstream proves it
// came from this loop's second step.
const sdkToolResult = "sunny, 21C (openai-go)"

// sdkToolParams is the lookup tool's JSON schema.
var sdkToolParams = map[string]any{"type": "object", "properties": map[string]any{"query": map[string]any{"type": "string"}}}

// requireToolResultReachedWorkers checks that the last upstream call of
// each worker ends with the tool result, after the assistant's call.
func requireToolResultReachedWorkers(t *testing.T, s *stack) {
	t.Helper()
	for _, m := range []string{mWorkerOAI, mWorkerOll} {
		msgs := lastCallTo(t, s.fake.Requests(), m).Messages
		require.GreaterOrEqual(t, len(msgs), 3, "%s gets the whole conversation", m)
		last := msgs[len(msgs)-1]
		require.Equal(t, "tool", last.Role, "%s gets the tool result as a tool turn", m)
		require.Equal(t, sdkToolResult, last.Content)
		require.Equal(t, []string{"lookup"}, msgs[len(msgs)-2].ToolCalls, "%s sees the call it answers", m)
	}
}

// Acceptance 2 with github.com/openai/openai-go/v3: a two-step tool loop
// through the workflow model on Chat Completions (New, and NewStreaming
// folded by the SDK's ChatCompletionAccumulator) and on the Responses API
// (New, NewStreaming) with a function_call_output turn. One worker calls
// the tool, the other answers text; the tool result reaches both workers.
func TestOpenAIGoToolLoopThroughTheWorkflow(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: textWorker, Chunks: 3}})
	client := openai.NewClient(option.WithBaseURL(s.base+"/v1/"), option.WithAPIKey("unused"),
		option.WithHTTPClient(s.client), option.WithMaxRetries(0))
	prompt := fakeupstream.ToolTrigger + " Paris"
	for _, stream := range []bool{false, true} {
		t.Run("chat completions stream="+strconv.FormatBool(stream), func(t *testing.T) {
			params := openai.ChatCompletionNewParams{
				Model:    workflowName,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)},
				Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
					Name: "lookup", Description: openai.String("search"), Parameters: sdkToolParams,
				})},
			}
			first := sdkChat(t, client, params, stream)
			require.Equal(t, "tool_calls", first.FinishReason)
			require.Len(t, first.Message.ToolCalls, 1)
			call := first.Message.ToolCalls[0]
			require.Equal(t, "lookup", call.Function.Name)
			require.JSONEq(t, `{"query":"Paris"}`, call.Function.Arguments)
			require.NotEmpty(t, call.ID)

			s.fake.Reset()
			params.Messages = append(params.Messages, first.Message.ToParam(), openai.ToolMessage(sdkToolResult, call.ID))
			second := sdkChat(t, client, params, stream)
			require.Equal(t, "stop", second.FinishReason)
			require.Empty(t, second.Message.ToolCalls)
			require.NotEmpty(t, second.Message.Content)
			requireToolResultReachedWorkers(t, s)
		})
		t.Run("responses stream="+strconv.FormatBool(stream), func(t *testing.T) {
			params := responses.ResponseNewParams{
				Model: workflowName,
				Input: responses.ResponseNewParamsInputUnion{OfInputItemList: responses.ResponseInputParam{
					responses.ResponseInputItemParamOfMessage(prompt, responses.EasyInputMessageRoleUser),
				}},
				Tools: []responses.ToolUnionParam{{OfFunction: &responses.FunctionToolParam{
					Name: "lookup", Description: openai.String("search"), Parameters: sdkToolParams, Strict: openai.Bool(false),
				}}},
			}
			first := sdkResponse(t, client, params, stream)
			var call *responses.ResponseFunctionToolCall
			for _, item := range first.Output {
				if item.Type == "function_call" {
					fc := item.AsFunctionCall()
					call = &fc
				}
			}
			require.NotNil(t, call, "a function_call output item in %s", first.RawJSON())
			require.Equal(t, "lookup", call.Name)
			require.JSONEq(t, `{"query":"Paris"}`, call.Arguments)
			require.NotEmpty(t, call.CallID)

			s.fake.Reset()
			fc := call.ToParam()
			out := responses.ResponseInputItemParamOfFunctionCallOutput(sdkToolResult)
			out.OfFunctionCallOutput.CallID = openai.String(call.CallID)
			params.Input.OfInputItemList = append(params.Input.OfInputItemList, responses.ResponseInputItemUnionParam{OfFunctionCall: &fc}, out)
			second := sdkResponse(t, client, params, stream)
			require.Equal(t, responses.ResponseStatusCompleted, second.Status)
			require.NotEmpty(t, second.OutputText())
			for _, item := range second.Output {
				require.NotEqual(t, "function_call", item.Type, "no second call: the workers saw the result")
			}
			requireToolResultReachedWorkers(t, s)
		})
	}
	s.noPanics(t)
}

// sdkChat sends params with the SDK, folding a stream with its accumulator
// (which must report the finished tool call), and returns the one choice.
func sdkChat(t *testing.T, client openai.Client, params openai.ChatCompletionNewParams, stream bool) openai.ChatCompletionChoice {
	t.Helper()
	if !stream {
		c, err := client.Chat.Completions.New(t.Context(), params)
		require.NoError(t, err)
		require.Len(t, c.Choices, 1)
		return c.Choices[0]
	}
	st := client.Chat.Completions.NewStreaming(t.Context(), params)
	var acc openai.ChatCompletionAccumulator
	var finished []openai.FinishedChatCompletionToolCall
	for st.Next() {
		require.True(t, acc.AddChunk(st.Current()), "the accumulator takes every chunk")
		if tc, ok := acc.JustFinishedToolCall(); ok {
			finished = append(finished, tc)
		}
	}
	require.NoError(t, st.Err())
	require.Len(t, acc.Choices, 1)
	choice := acc.Choices[0]
	require.Len(t, finished, len(choice.Message.ToolCalls), "the accumulator saw each call finish")
	for i, tc := range finished {
		require.Equal(t, choice.Message.ToolCalls[i].Function.Arguments, tc.Arguments)
	}
	return choice
}

// sdkResponse sends params with the SDK; a stream returns the response of
// its response.completed event after checking that each call's argument
// deltas add up to its .done event.
func sdkResponse(t *testing.T, client openai.Client, params responses.ResponseNewParams, stream bool) responses.Response {
	t.Helper()
	if !stream {
		r, err := client.Responses.New(t.Context(), params)
		require.NoError(t, err)
		return *r
	}
	st := client.Responses.NewStreaming(t.Context(), params)
	deltas := map[string]*strings.Builder{}
	var completed *responses.Response
	for st.Next() {
		ev := st.Current()
		switch ev.Type {
		case "response.function_call_arguments.delta":
			if deltas[ev.ItemID] == nil {
				deltas[ev.ItemID] = &strings.Builder{}
			}
			deltas[ev.ItemID].WriteString(ev.Delta)
		case "response.function_call_arguments.done":
			require.NotNil(t, deltas[ev.ItemID], "deltas before .done")
			require.Equal(t, deltas[ev.ItemID].String(), ev.Arguments, "the deltas add up")
		case "response.completed":
			r := ev.Response
			completed = &r
		}
	}
	require.NoError(t, st.Err())
	require.NotNil(t, completed, "a response.completed event")
	return *completed
}
