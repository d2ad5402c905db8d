package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Each worker gets the images it can take: all of them (OpenAI), the
// inline ones (an Ollama deployment cannot fetch a URL), none (vision =
// false); what was left out is noted in its trace.
func TestWorkersGetTheImagesTheyCanTake(t *testing.T) {
	t.Parallel()
	const inline, link = "data:image/png;base64,iVBORw0KGgo=", "https://example.com/cat.png"
	f := newFixture(t)
	f.spec(beta, func(s *domain.ModelSpec) {
		s.Deployments = []domain.Deployment{{Provider: domain.ProviderOpenAI}, {Provider: domain.ProviderOllama}}
	})
	f.spec(gamma, func(s *domain.ModelSpec) { s.Vision = domain.OptBool{Set: true, Value: false} })
	recs := map[string]*recorder{alpha: {}, beta: {}, gamma: {}}
	for name, rec := range recs {
		f.m(name).Complete(gomock.Any(), gomock.Any()).DoAndReturn(rec.wrap(reply(name + " sees")))
	}
	f.m(judge).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply(`{"choice": "A", "reason": "ok"}`))
	f.m(writer).Complete(gomock.Any(), gomock.Any()).DoAndReturn(reply("final"))
	convo := []domain.Message{
		{Role: domain.RoleUser, Content: "compare", Images: []string{inline, link}},
		{Role: domain.RoleAssistant, Content: "they differ"},
		{Role: domain.RoleUser, Content: "and this one?", Images: []string{link}},
	}

	res, err := f.service().Complete(t.Context(), domain.ChatRequest{Model: "chorus", Messages: convo})
	require.NoError(t, err)
	require.Equal(t, convo, recs[alpha].calls[0].Messages, "an OpenAI worker gets every image")
	got := recs[beta].calls[0].Messages
	require.Equal(t, []string{inline}, got[0].Images, "an Ollama-served worker keeps inline images")
	require.Nil(t, got[2].Images)
	require.Equal(t, "and this one?", got[2].Content, "and the text")
	for _, m := range recs[gamma].calls[0].Messages {
		require.Nil(t, m.Images, "a vision = false worker gets none")
	}
	require.Equal(t, []string{inline, link}, convo[0].Images, "the client's conversation is not changed")

	require.Empty(t, workerByLabel(t, res.Trace, alpha).Call.Note)
	require.Equal(t, "2 image URL(s) left out: Ollama takes inline (base64 or data:) images only", workerByLabel(t, res.Trace, beta).Call.Note)
	require.Equal(t, "3 image(s) left out: the model is configured with vision = false", workerByLabel(t, res.Trace, gamma).Call.Note)
}
