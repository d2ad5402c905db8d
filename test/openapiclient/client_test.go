package openapiclient_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	official "github.com/chorus-ai/chorus/test/contract"
	"github.com/chorus-ai/chorus/test/openapiclient"
	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// env holds the real chorus binary running the demo configuration, shared
// by every test of the package.
var env chorusproc.Env

func TestMain(m *testing.M) {
	os.Exit(chorusproc.Main(m, &env, true))
}

// newClient is the generated client over a recorder that checks every
// answer it reads against the official OpenAI and Ollama documents too.
func newClient(t *testing.T) *openapiclient.ClientWithResponses {
	t.Helper()
	rec := official.NewRecorder(nil)
	t.Cleanup(func() {
		require.Positive(t, rec.Checked(), "the recorder saw the answers")
		require.NoError(t, rec.Problems(), "answers that break the official documents")
	})
	c, err := openapiclient.NewClientWithResponses(env.Server.URL, openapiclient.WithHTTPClient(&http.Client{Transport: rec}))
	require.NoError(t, err)
	return c
}

func ptr[T any](v T) *T { return &v }

// model is the official ModelIdsShared union holding a model name.
func model(t *testing.T, name string) openapiclient.ModelIdsShared {
	t.Helper()
	var m openapiclient.ModelIdsShared
	require.NoError(t, m.FromModelIdsShared0(name))
	return m
}

// userMessage is the official ChatCompletionRequestUserMessage with text
// content, as a member of the ChatCompletionRequestMessage union. The union
// is filled from the member's JSON, not with FromChatCompletionRequestUserMessage:
// OpenAI's document gives the union a `role` discriminator without a mapping,
// so the generated From* would write the schema name as the role.
func userMessage(t *testing.T, text string) openapiclient.ChatCompletionRequestMessage {
	t.Helper()
	var content openapiclient.ChatCompletionRequestUserMessage_Content
	require.NoError(t, content.FromChatCompletionRequestUserMessageContent0(text))
	member, err := json.Marshal(openapiclient.ChatCompletionRequestUserMessage{
		Role: openapiclient.ChatCompletionRequestUserMessageRoleUser, Content: content,
	})
	require.NoError(t, err)
	var msg openapiclient.ChatCompletionRequestMessage
	require.NoError(t, msg.UnmarshalJSON(member))
	return msg
}

func TestModelsListNamesTheWorkflowThenEveryModel(t *testing.T) {
	t.Parallel()
	res, err := newClient(t).ListModelsWithResponse(t.Context())
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode(), string(res.Body))
	require.NotNil(t, res.JSON200, "body did not decode as ModelList: %s", res.Body)

	list := res.JSON200
	require.Equal(t, "list", string(list.Object))
	wantModels := bytes.Count(config.DemoConfig(), []byte("[[model]]"))
	require.Len(t, list.Data, 1+wantModels, "the workflow plus every [[model]] of the demo config")
	require.Equal(t, "chorus", list.Data[0].Id)
	for _, m := range list.Data {
		require.Equal(t, "model", string(m.Object))
		require.Positive(t, m.Created)
		require.NotEmpty(t, m.OwnedBy)
	}
}

func TestChatCompletionRunsTheWorkflowAndReportsIt(t *testing.T) {
	t.Parallel()
	res, err := newClient(t).CreateChatCompletionWithResponse(t.Context(), nil, openapiclient.ChorusChatCompletionRequest{
		Model:           model(t, "chorus"),
		Messages:        []openapiclient.ChatCompletionRequestMessage{userMessage(t, "Name three sorting algorithms")},
		IncludeWorkflow: ptr(true),
	})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode(), string(res.Body))
	require.NotNil(t, res.JSON200, "body did not decode as ChatCompletion: %s", res.Body)

	cc := res.JSON200
	require.Equal(t, "chat.completion", string(cc.Object))
	require.Equal(t, "chorus", cc.Model)
	require.NotEmpty(t, cc.Id)
	require.Positive(t, cc.Created)
	require.Len(t, cc.Choices, 1)
	require.Equal(t, "assistant", string(cc.Choices[0].Message.Role))
	require.NotNil(t, cc.Choices[0].Message.Content)
	require.NotEmpty(t, *cc.Choices[0].Message.Content)
	require.Equal(t, "stop", string(cc.Choices[0].FinishReason))
	require.Positive(t, cc.Usage.PromptTokens)
	require.Positive(t, cc.Usage.CompletionTokens)
	require.Equal(t, cc.Usage.PromptTokens+cc.Usage.CompletionTokens, cc.Usage.TotalTokens)

	require.NotNil(t, cc.Workflow, "include_workflow:true must add the workflow")
	require.NotEmpty(t, cc.Workflow.WorkflowId)
	require.Equal(t, "ok", cc.Workflow.Status)
	require.NotEmpty(t, cc.Workflow.Workers)
	require.NotNil(t, cc.Workflow.Analyzer)
	require.Equal(t, cc.Usage.TotalTokens, cc.Workflow.Usage.TotalTokens, "the usage is the sum over every call of the workflow")
}

func TestChatCompletionPassesAConfiguredModelThrough(t *testing.T) {
	t.Parallel()
	res, err := newClient(t).CreateChatCompletionWithResponse(t.Context(), nil, openapiclient.ChorusChatCompletionRequest{
		Model:    model(t, "echo-alpha"),
		Messages: []openapiclient.ChatCompletionRequestMessage{userMessage(t, "hello")},
	})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode(), string(res.Body))
	require.NotNil(t, res.JSON200)
	require.Equal(t, "echo-alpha", res.JSON200.Model)
	require.Nil(t, res.JSON200.Workflow, "no workflow without include_workflow")
}

func TestGenerateWithoutStreamingAnswersInOneObject(t *testing.T) {
	t.Parallel()
	before := time.Now().Add(-time.Minute)
	res, err := newClient(t).OllamaGenerateWithResponse(t.Context(), nil, openapiclient.ChorusOllamaGenerateRequest{
		Model:  "chorus",
		Prompt: ptr("Why is the sky blue?"),
		Stream: ptr(false),
	})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode(), string(res.Body))
	require.NotNil(t, res.JSON200, "body did not decode as OllamaGenerateResponse: %s", res.Body)

	g := res.JSON200
	require.NotNil(t, g.Done)
	require.True(t, *g.Done)
	require.Equal(t, ptr("chorus"), g.Model)
	require.NotEmpty(t, g.Response)
	require.NotNil(t, g.CreatedAt)
	created, err := time.Parse(time.RFC3339Nano, *g.CreatedAt)
	require.NoError(t, err, "created_at is ISO 8601")
	require.True(t, created.After(before), "created_at %v is not a current time", created)
	require.NotNil(t, g.DoneReason)
	require.Equal(t, "stop", *g.DoneReason)
}

func TestResponsesWithoutInputIsA400ErrorObject(t *testing.T) {
	t.Parallel()
	res, err := newClient(t).CreateResponseWithResponse(t.Context(), nil, openapiclient.ChorusResponsesRequest{})
	require.NoError(t, err)
	require.Equal(t, http.StatusBadRequest, res.StatusCode(), string(res.Body))
	require.Nil(t, res.JSON200)
	require.NotNil(t, res.JSONDefault, "body did not decode as Error: %s", res.Body)
	require.Equal(t, "invalid request: missing input/messages/prompt/instructions", res.JSONDefault.Error.Message)
	require.Equal(t, "invalid_request_error", res.JSONDefault.Error.Type)
	require.NotEmpty(t, res.JSONDefault.Error.Code)
}

func TestAWholeAnswerCarriesProgressLinesWhenTheHeaderAsks(t *testing.T) {
	t.Parallel()
	req := openapiclient.ChorusChatCompletionRequest{
		Model:    model(t, "chorus"),
		Messages: []openapiclient.ChatCompletionRequestMessage{userMessage(t, "Name three sorting algorithms")},
	}
	asked := openapiclient.CreateChatCompletionParams{XChorusProgress: ptr(openapiclient.CreateChatCompletionParamsXChorusProgressReasoning)}
	res, err := newClient(t).CreateChatCompletionWithResponse(t.Context(), &asked, req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode(), string(res.Body))
	require.NotNil(t, res.JSON200, "body did not decode as the official CreateChatCompletionResponse: %s", res.Body)
	reasoning := reasoningContent(t, res.Body)
	require.NotNil(t, reasoning, "X-Chorus-Progress: reasoning puts the lines in reasoning_content")
	require.Contains(t, *reasoning, "worker A done in")

	res, err = newClient(t).CreateChatCompletionWithResponse(t.Context(), nil, req)
	require.NoError(t, err)
	require.Nil(t, reasoningContent(t, res.Body), "not asked: none")
}

// reasoningContent reads choices[0].message.reasoning_content, an extension
// field the official message (and so the generated type) does not have.
func reasoningContent(t *testing.T, body []byte) *string {
	t.Helper()
	var cc struct {
		Choices []struct {
			Message struct {
				ReasoningContent *string `json:"reasoning_content"`
			} `json:"message"`
		} `json:"choices"`
	}
	require.NoError(t, json.Unmarshal(body, &cc))
	require.Len(t, cc.Choices, 1)
	return cc.Choices[0].Message.ReasoningContent
}
