package app_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func passthroughRequest() domain.ChatRequest {
	return domain.ChatRequest{
		Model: alpha,
		Messages: []domain.Message{
			{Role: domain.RoleSystem, Content: "sys"},
			{Role: domain.RoleUser, Content: "weather?"},
		},
		Params: domain.Params{
			TopP:           domain.SomeFloat(0.9),
			MaxTokens:      domain.SomeInt(64),
			Seed:           domain.SomeInt(7),
			Stop:           []string{"END"},
			Tools:          []domain.Tool{{Name: "get_weather", Parameters: domain.RawJSON(`{"type":"object"}`)}},
			ToolChoice:     domain.RawJSON(`"auto"`),
			ResponseFormat: domain.RawJSON(`{"type":"text"}`),
		},
	}
}

func TestPassthroughForwardsTheRequestAsIs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := passthroughRequest()
	calls := []domain.ToolCall{{ID: "call_1", Name: "get_weather", Arguments: `{"city":"Paris"}`}}
	f.m(alpha).Complete(gomock.Any(), domain.ModelCall{Model: alpha, Messages: req.Messages, Params: req.Params}).
		Return(domain.Completion{Reasoning: "think", ToolCalls: calls, FinishReason: domain.FinishToolCalls, Usage: testUsage}, nil)

	res, err := f.service().Complete(t.Context(), req)
	require.NoError(t, err)
	require.Equal(t, alpha, res.Model)
	require.Equal(t, calls, res.ToolCalls)
	require.Equal(t, "think", res.Reasoning)
	require.Equal(t, domain.FinishToolCalls, res.FinishReason)
	require.Equal(t, testUsage, res.Usage)
	require.Nil(t, res.Trace)
	require.NotEmpty(t, res.WorkflowID)
	require.False(t, req.Params.Temperature.Set, "no temperature invented")
}

func TestPassthroughStreamsTheModelsDeltas(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req := passthroughRequest()
	req.Stream = true
	req.Params.Temperature = domain.SomeFloat(0.1)
	deltas := []domain.Delta{
		{Reasoning: "hmm"},
		{ToolCalls: []domain.ToolCall{{Index: 0, ID: "call_1", Name: "get_weather"}}},
		{ToolCalls: []domain.ToolCall{{Index: 0, Arguments: `{"city":`}}},
		{ToolCalls: []domain.ToolCall{{Index: 0, Arguments: `"Paris"}`}}},
	}
	f.m(alpha).Stream(gomock.Any(), domain.ModelCall{Model: alpha, Messages: req.Messages, Params: req.Params}, gomock.Any()).DoAndReturn(
		func(ctx context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			for _, d := range deltas {
				if err := emit(d); err != nil {
					return domain.Completion{}, err
				}
			}
			return domain.Completion{ToolCalls: []domain.ToolCall{{ID: "call_1", Name: "get_weather", Arguments: `{"city":"Paris"}`}}}, nil
		})
	var got []domain.Delta
	res, err := f.service().Stream(t.Context(), req, func(ev domain.StreamEvent) error {
		if !ev.KeepAlive {
			got = append(got, ev.Delta)
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, deltas, got)
	require.Equal(t, domain.FinishToolCalls, res.FinishReason)
}

func TestPassthroughErrorsAreReturned(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(alpha))
	_, err := f.service().Complete(t.Context(), passthroughRequest())
	require.ErrorIs(t, err, domain.ErrUpstream)
	var le *domain.LLMError
	require.ErrorAs(t, err, &le)
	require.Equal(t, 500, le.Status)
}
