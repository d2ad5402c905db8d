package llm_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func TestNewRegistry_rejects_bad_model_specs(t *testing.T) {
	cases := []struct {
		name   string
		models []domain.ModelSpec
		want   string
	}{
		{name: "unknown provider", models: []domain.ModelSpec{{Name: "m", Provider: "anthropic", APIBase: "http://x"}}, want: "unknown provider"},
		{name: "missing api_base", models: []domain.ModelSpec{{Name: "m", Provider: domain.ProviderOpenAI}}, want: "api_base"},
		{name: "api_base without scheme", models: []domain.ModelSpec{{Name: "m", Provider: domain.ProviderOllama, APIBase: "localhost:11434"}}, want: "api_base"},
		{name: "duplicate name", models: []domain.ModelSpec{
			{Name: "m", Provider: domain.ProviderEcho}, {Name: "m", Provider: domain.ProviderEcho}}, want: "configured twice"},
		{name: "empty name", models: []domain.ModelSpec{{Provider: domain.ProviderEcho}}, want: "empty name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := llm.NewRegistry(tc.models, llm.Options{})
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestRegistry_resolves_configured_models_and_rejects_others(t *testing.T) {
	reg, err := llm.NewRegistry([]domain.ModelSpec{
		{Name: "a", Provider: domain.ProviderOpenAI, APIBase: "https://api.example.com/v1"},
		{Name: "b", Provider: domain.ProviderOpenAI, APIBase: "https://API.example.com:443/other"},
		{Name: "c", Provider: domain.ProviderOllama, APIBase: "http://localhost:11434"},
		{Name: "d", Provider: domain.ProviderEcho},
	}, llm.Options{})
	require.NoError(t, err)

	for _, name := range []string{"a", "b", "c", "d"} {
		m, err := reg.Resolve(name)
		require.NoError(t, err)
		require.NotNil(t, m)
	}
	_, err = reg.Resolve("nope")
	require.ErrorIs(t, err, domain.ErrUnknownModel)
	require.Equal(t, 2, reg.Hosts(), "models on one host share a transport")
	reg.CloseIdleConnections()
}

// wrapped counts calls through the Wrap hook.
type wrapped struct {
	ports.ChatModel
	name  string
	calls *int
}

func (w wrapped) Complete(ctx context.Context, call domain.ModelCall) (domain.Completion, error) {
	*w.calls++
	return w.ChatModel.Complete(ctx, call)
}

func TestRegistry_wrap_decorates_every_model(t *testing.T) {
	calls := 0
	var names []string
	reg, err := llm.NewRegistry([]domain.ModelSpec{{Name: "e", Provider: domain.ProviderEcho}}, llm.Options{
		Wrap: func(name string, m ports.ChatModel) ports.ChatModel {
			names = append(names, name)
			return wrapped{ChatModel: m, name: name, calls: &calls}
		},
	})
	require.NoError(t, err)
	m, err := reg.Resolve("e")
	require.NoError(t, err)

	_, err = m.Complete(t.Context(), userCall("e", "hi"))

	require.NoError(t, err)
	require.Equal(t, []string{"e"}, names)
	require.Equal(t, 1, calls)
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestDebugLogs_redact_keys_and_message_bodies_unless_full_bodies_are_enabled(t *testing.T) {
	const secretPrompt = "the purple elephant dances at midnight under seventeen moons"
	const secretAnswer = "an orange giraffe sings quietly beneath nine silver suns"
	cases := []struct {
		name      string
		logBodies string
		bodies    bool
	}{
		{name: "redacted by default", logBodies: "", bodies: false},
		{name: "full bodies on request", logBodies: llm.LogBodiesFull, bodies: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forEachProvider(t, func(t *testing.T, p provider) {
				srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
					if strings.Contains(r.Header.Get("Accept"), "event-stream") {
						fakeupstream.Stream(p.dialect, w, []fakeupstream.Answer{{Text: secretAnswer}}, fakeupstream.Answer{})
						return
					}
					p.dialect.WriteJSON(w, fakeupstream.Answer{Text: secretAnswer})
				})
				var logs syncBuffer
				opts := llm.Options{Logger: zerolog.New(&logs).Level(zerolog.DebugLevel), LogBodies: tc.logBodies}
				m, name := newModel(t, p, srv, opts)

				_, err := m.Complete(t.Context(), userCall(name, secretPrompt))
				require.NoError(t, err)
				_, err = m.Stream(t.Context(), userCall(name, secretPrompt), (&fakeupstream.Deltas{}).Emit)
				require.NoError(t, err)

				out := logs.String()
				require.Contains(t, out, "upstream request")
				require.Contains(t, out, `"model":"`+name+`"`)
				require.Contains(t, out, `"status":200`)
				require.NotContains(t, out, testKey, "the key never reaches the logs")
				require.NotContains(t, out, "Bearer")
				if tc.bodies {
					require.Contains(t, out, secretPrompt)
					require.Contains(t, out, secretAnswer)
				} else {
					require.NotContains(t, out, secretPrompt)
					require.NotContains(t, out, secretAnswer)
					require.Contains(t, out, "chars)", "shortened contents are marked")
				}
			})
		})
	}
}

func TestDebugLogs_never_show_a_key_an_upstream_echoes_in_an_error(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			p.dialect.WriteError(w, http.StatusUnauthorized, "bad key "+testKey)
		})
		var logs syncBuffer
		opts := llm.Options{Logger: zerolog.New(&logs).Level(zerolog.DebugLevel), LogBodies: llm.LogBodiesFull}
		m, name := newModel(t, p, srv, opts)

		_, err := m.Complete(t.Context(), userCall(name, "hi"))

		_ = requireLLMError(t, err, domain.LLMStatus, name)
		require.Contains(t, logs.String(), "bad key")
		require.NotContains(t, logs.String(), testKey)
	})
}
