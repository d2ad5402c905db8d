package app_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// failedDeployments answers like a model whose two deployments both failed.
func failedDeployments(model string) func(context.Context, domain.ModelCall) (domain.Completion, error) {
	return func(context.Context, domain.ModelCall) (domain.Completion, error) {
		return domain.Completion{}, &domain.LLMError{Model: model, Kind: domain.LLMConnection, Attempts: 2,
			Deployments: []domain.DeploymentAttempt{{Deployment: 0, Host: "http://a:1", Outcome: "connection"}, {Deployment: 1, Host: "http://b:1", Outcome: "connection"}}}
	}
}

func TestPassthroughAnswersFromTheFallbackWhenEveryDeploymentFailed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.spec(alpha, func(s *domain.ModelSpec) { s.Fallbacks = []string{beta, gamma} })
	f.spec(beta, func(s *domain.ModelSpec) { s.Fallbacks = []string{alpha} }) // a cycle the config would reject stays finite
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(failedDeployments(alpha))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(beta))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("from gamma"))

	res, err := f.service().Complete(t.Context(), passthroughRequest())
	require.NoError(t, err)
	require.Equal(t, gamma, res.Model, "the answer names the model that answered")
	require.Equal(t, "from gamma", res.Text)
}

func TestPassthroughReportsTheLastErrorWhenEveryFallbackFailed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.spec(alpha, func(s *domain.ModelSpec) { s.Fallbacks = []string{beta} })
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(alpha))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(fail(beta))

	_, err := f.service().Complete(t.Context(), passthroughRequest())
	require.ErrorIs(t, err, domain.ErrUpstream)
	require.ErrorContains(t, err, "and its fallbacks failed")
}

func TestWorkflowStageFallbackIsInTheTrace(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addModel(domain.ModelSpec{Name: "spare-llm", Provider: domain.ProviderOpenAI})
	f.spec(beta, func(s *domain.ModelSpec) { s.Fallbacks = []string{"spare-llm"} })
	f.m(analyst).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"temperature": 0.5}`)).AnyTimes()
	f.m(alpha).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("A"))
	f.m(beta).Complete(gomock.Any(), gomock.Any()).DoAndReturn(failedDeployments(beta))
	f.m("spare-llm").Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("B from spare"))
	f.m(gamma).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("C"))
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice":"A"}`))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))

	res, err := f.service().Complete(t.Context(), chatReq("q"))
	require.NoError(t, err)
	w := workerByLabel(t, res.Trace, beta)
	require.Equal(t, domain.StatusOK, w.Call.Status)
	require.Equal(t, "spare-llm", w.Call.Model, "the trace names the model that answered")
	require.Equal(t, beta, w.Call.FallbackFrom)
	require.Equal(t, "B from spare", w.Response)
}

func TestStreamDoesNotFallBackOnceDeltasWereSent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.spec(alpha, func(s *domain.ModelSpec) { s.Fallbacks = []string{beta} })
	f.m(alpha).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			if err := emit(domain.Delta{Text: "half"}); err != nil {
				return domain.Completion{}, err
			}
			return domain.Completion{}, &domain.LLMError{Model: alpha, Kind: domain.LLMConnection}
		})
	req := passthroughRequest()
	req.Stream = true
	_, err := f.service().Stream(t.Context(), req, func(domain.StreamEvent) error { return nil })
	require.ErrorIs(t, err, domain.ErrUpstream, "beta is never called: its answer cannot follow half of alpha's")
}

func TestAStreamedFallbackAnswerNamesTheModelThatAnswered(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.spec(alpha, func(s *domain.ModelSpec) { s.Fallbacks = []string{beta} })
	f.m(alpha).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(context.Context, domain.ModelCall, func(domain.Delta) error) (domain.Completion, error) {
			return domain.Completion{}, &domain.LLMError{Model: alpha, Kind: domain.LLMConnection}
		})
	f.m(beta).Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(
		func(_ context.Context, _ domain.ModelCall, emit func(domain.Delta) error) (domain.Completion, error) {
			for _, d := range []domain.Delta{{Reasoning: "thinking"}, {Text: "from "}, {Text: "beta"}} {
				if err := emit(d); err != nil {
					return domain.Completion{}, err
				}
			}
			return domain.Completion{Text: "from beta", Reasoning: "thinking"}, nil
		})
	req := passthroughRequest()
	req.Stream = true
	var models []string
	res, err := f.service().Stream(t.Context(), req, func(ev domain.StreamEvent) error {
		if !ev.KeepAlive {
			models = append(models, ev.Model)
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, beta, res.Model)
	require.Equal(t, []string{beta, beta, beta}, models, "every delta carries the fallback's name")
}
