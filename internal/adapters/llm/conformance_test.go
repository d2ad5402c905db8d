package llm_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/llm"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// testKey is a fake credential; it must never leak into errors or logs.
const testKey = "sk-test-SECRET-0123456789abcdef"

// provider describes one HTTP adapter for the conformance suite.
type provider struct {
	dialect fakeupstream.Dialect
	spec    func(url string) domain.ModelSpec
}

// providers are the adapters that speak HTTP.
var providers = []provider{
	{dialect: fakeupstream.OpenAI{}, spec: func(url string) domain.ModelSpec {
		return domain.ModelSpec{Name: "gpt-fake", Provider: domain.ProviderOpenAI, APIBase: url + "/v1/", APIKey: domain.NewSecret(testKey)}
	}},
	{dialect: fakeupstream.Ollama{}, spec: func(url string) domain.ModelSpec {
		return domain.ModelSpec{Name: "llama-fake", Provider: domain.ProviderOllama, APIBase: url, APIKey: domain.NewSecret(testKey)}
	}},
}

// newModel resolves the provider's model from a registry pointing at srv.
func newModel(t *testing.T, p provider, srv *fakeupstream.Server, opts llm.Options) (ports.ChatModel, string) {
	t.Helper()
	spec := p.spec(srv.URL())
	reg, err := llm.NewRegistry([]domain.ModelSpec{spec}, opts)
	require.NoError(t, err)
	m, err := reg.Resolve(spec.Name)
	require.NoError(t, err)
	return m, spec.Name
}

// userCall is a one-message call with a temperature.
func userCall(model, text string) domain.ModelCall {
	return domain.ModelCall{
		Model:    model,
		Messages: []domain.Message{{Role: domain.RoleUser, Content: text}},
		Params:   domain.Params{Temperature: domain.SomeFloat(0.3)},
	}
}

// requireLLMError asserts err is an LLMError of kind for model.
func requireLLMError(t *testing.T, err error, kind domain.LLMErrorKind, model string) *domain.LLMError {
	t.Helper()
	var lerr *domain.LLMError
	require.ErrorAs(t, err, &lerr)
	require.Equal(t, kind, lerr.Kind, "error: %v", err)
	require.Equal(t, model, lerr.Model)
	require.NotContains(t, lerr.Error(), testKey)
	return lerr
}

// forEachProvider runs a scenario against every HTTP adapter.
func forEachProvider(t *testing.T, scenario func(t *testing.T, p provider)) {
	for _, p := range providers {
		t.Run(p.dialect.Name(), func(t *testing.T) {
			t.Parallel()
			scenario(t, p)
		})
	}
}

func TestConformance_a_non_streamed_answer_is_parsed_with_usage_and_reasoning_kept_apart(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			p.dialect.WriteJSON(w, fakeupstream.Answer{Text: "Paris.", Reasoning: "capital of France",
				PromptTok: 11, OutputTok: 2})
		})
		m, name := newModel(t, p, srv, llm.Options{})

		comp, err := m.Complete(t.Context(), userCall(name, "Capital of France?"))

		require.NoError(t, err)
		require.Equal(t, "Paris.", comp.Text)
		require.Equal(t, "capital of France", comp.Reasoning)
		require.Equal(t, domain.FinishStop, comp.FinishReason)
		require.Equal(t, domain.Usage{InputTokens: 11, OutputTokens: 2}, comp.Usage)
		require.Equal(t, 1, comp.Attempts)
		req := srv.Requests()[0]
		require.Equal(t, p.dialect.Path(), req.Path)
		require.Equal(t, "Bearer "+testKey, req.Header.Get("Authorization"))
		body := srv.LastJSON(t)
		require.NotEqual(t, true, body["stream"], "a non-streamed call must not ask for a stream")
	})
}

func TestConformance_a_stream_is_relayed_delta_by_delta_and_aggregated(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			fakeupstream.Stream(p.dialect, w, []fakeupstream.Answer{
				{Reasoning: "thinking…"}, {Text: "Hel"}, {Text: "lo"}, {Text: " world"},
			}, fakeupstream.Answer{PromptTok: 5, OutputTok: 3})
		})
		m, name := newModel(t, p, srv, llm.Options{})
		var got fakeupstream.Deltas

		comp, err := m.Stream(t.Context(), userCall(name, "greet"), got.Emit)

		require.NoError(t, err)
		require.Equal(t, "Hello world", got.Text())
		require.Equal(t, "Hello world", comp.Text)
		require.Equal(t, "thinking…", comp.Reasoning)
		require.Equal(t, domain.Usage{InputTokens: 5, OutputTokens: 3}, comp.Usage)
		require.Equal(t, domain.FinishStop, comp.FinishReason)
		require.Equal(t, domain.FinishStop, got[len(got)-1].FinishReason)
		require.Equal(t, true, srv.LastJSON(t)["stream"])
	})
}

func TestConformance_an_http_error_carries_the_upstream_message(t *testing.T) {
	cases := []struct {
		name   string
		status int
	}{
		{name: "unauthorized", status: http.StatusUnauthorized},
		{name: "server error", status: http.StatusInternalServerError},
		{name: "rate limit without Retry-After", status: http.StatusTooManyRequests},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forEachProvider(t, func(t *testing.T, p provider) {
				srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
					p.dialect.WriteError(w, tc.status, "Incorrect API key provided: "+testKey)
				})
				m, name := newModel(t, p, srv, llm.Options{})

				_, err := m.Complete(t.Context(), userCall(name, "hi"))

				lerr := requireLLMError(t, err, domain.LLMStatus, name)
				require.Equal(t, tc.status, lerr.Status)
				require.Contains(t, lerr.Message, "Incorrect API key provided")
				require.NotContains(t, lerr.Message, testKey)
				require.Equal(t, 1, lerr.Attempts)
				require.Len(t, srv.Requests(), 1)
				require.ErrorIs(t, err, domain.ErrUpstream)
			})
		})
	}
}

func TestConformance_a_Retry_After_beyond_the_deadline_is_not_waited_for(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			p.dialect.WriteError(w, http.StatusServiceUnavailable, "overloaded")
		})
		m, name := newModel(t, p, srv, llm.Options{})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()

		_, err := m.Complete(ctx, userCall(name, "hi"))

		lerr := requireLLMError(t, err, domain.LLMStatus, name)
		require.Equal(t, http.StatusServiceUnavailable, lerr.Status)
		require.Equal(t, 30*time.Second, lerr.RetryAfter)
		require.Equal(t, 1, lerr.Attempts)
		require.NoError(t, ctx.Err(), "the client must not sleep into the deadline")
	})
}

func TestConformance_malformed_answers_are_bad_responses(t *testing.T) {
	cases := []struct {
		name  string
		write func(p provider, w http.ResponseWriter)
	}{
		{name: "invalid JSON", write: func(_ provider, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"choices": [ {"message": `))
		}},
		{name: "empty content cut by the length limit", write: func(p provider, w http.ResponseWriter) {
			p.dialect.WriteJSON(w, fakeupstream.Answer{Finish: "length"})
		}},
		{name: "HTML from a proxy", write: func(_ provider, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Bad gateway</body></html>"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forEachProvider(t, func(t *testing.T, p provider) {
				srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) { tc.write(p, w) })
				m, name := newModel(t, p, srv, llm.Options{})

				_, err := m.Complete(t.Context(), userCall(name, "hi"))

				_ = requireLLMError(t, err, domain.LLMBadResponse, name)
			})
		})
	}
}

func TestConformance_a_stream_cut_after_two_chunks_is_an_error_not_a_clean_finish(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			p.dialect.StartStream(w)
			p.dialect.WriteChunk(w, fakeupstream.Answer{Text: "one "})
			p.dialect.WriteChunk(w, fakeupstream.Answer{Text: "two "})
			fakeupstream.Cut(w)
		})
		m, name := newModel(t, p, srv, llm.Options{})
		var got fakeupstream.Deltas

		_, err := m.Stream(t.Context(), userCall(name, "count"), got.Emit)

		lerr := requireLLMError(t, err, domain.LLMBadResponse, name)
		require.Contains(t, lerr.Message, "stream ended early")
		require.Equal(t, "one two ", got.Text())
	})
}

func TestConformance_an_error_inside_a_stream_is_an_LLMError(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			p.dialect.StartStream(w)
			p.dialect.WriteChunk(w, fakeupstream.Answer{Text: "partial"})
			p.dialect.WriteStreamError(w, "model crashed")
		})
		m, name := newModel(t, p, srv, llm.Options{})
		var got fakeupstream.Deltas

		_, err := m.Stream(t.Context(), userCall(name, "hi"), got.Emit)

		lerr := requireLLMError(t, err, domain.LLMBadResponse, name)
		require.Contains(t, lerr.Message, "model crashed")
	})
}

func TestConformance_a_slow_upstream_hits_the_deadline_as_a_timeout(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[stream], func(t *testing.T) {
			forEachProvider(t, func(t *testing.T, p provider) {
				release := make(chan struct{})
				srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
					if stream {
						p.dialect.StartStream(w)
						p.dialect.WriteChunk(w, fakeupstream.Answer{Text: "first"})
					}
					select {
					case <-r.Context().Done():
					case <-release:
					}
				})
				t.Cleanup(func() { close(release) })
				m, name := newModel(t, p, srv, llm.Options{})
				ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
				defer cancel()

				var err error
				if stream {
					_, err = m.Stream(ctx, userCall(name, "hi"), (&fakeupstream.Deltas{}).Emit)
				} else {
					_, err = m.Complete(ctx, userCall(name, "hi"))
				}

				_ = requireLLMError(t, err, domain.LLMTimeout, name)
				require.ErrorIs(t, err, domain.ErrStageTimeout)
			})
		})
	}
}

func TestConformance_a_client_cancel_reaches_the_upstream(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[stream], func(t *testing.T) {
			forEachProvider(t, func(t *testing.T, p provider) {
				started := make(chan struct{})
				observed := make(chan struct{})
				srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
					if stream {
						p.dialect.StartStream(w)
						p.dialect.WriteChunk(w, fakeupstream.Answer{Text: "first"})
					}
					close(started)
					<-r.Context().Done()
					close(observed)
				})
				m, name := newModel(t, p, srv, llm.Options{})
				ctx, cancel := context.WithCancel(t.Context())
				go func() {
					<-started
					cancel()
				}()

				var err error
				if stream {
					_, err = m.Stream(ctx, userCall(name, "hi"), (&fakeupstream.Deltas{}).Emit)
				} else {
					_, err = m.Complete(ctx, userCall(name, "hi"))
				}

				_ = requireLLMError(t, err, domain.LLMCanceled, name)
				require.ErrorIs(t, err, domain.ErrCanceled)
				select {
				case <-observed:
				case <-time.After(5 * time.Second):
					t.Fatal("the upstream never saw the request end")
				}
			})
		})
	}
}

func TestConformance_an_emit_error_stops_the_stream_and_is_returned(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			fakeupstream.Stream(p.dialect, w, []fakeupstream.Answer{{Text: "a"}, {Text: "b"}}, fakeupstream.Answer{})
		})
		m, name := newModel(t, p, srv, llm.Options{})
		stop := errors.New("client went away")
		calls := 0

		_, err := m.Stream(t.Context(), userCall(name, "hi"), func(domain.Delta) error {
			calls++
			return stop
		})

		require.ErrorIs(t, err, stop)
		require.Equal(t, 1, calls)
	})
}

func TestConformance_tool_calls_round_trip_as_argument_text(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		want := domain.ToolCall{Name: "get_weather", Arguments: `{"city":"Paris","unit":"c"}`}
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			p.dialect.WriteJSON(w, fakeupstream.Answer{Calls: []fakeupstream.Call{{ID: "call_1", Name: want.Name, Args: want.Arguments}}})
		})
		m, name := newModel(t, p, srv, llm.Options{})
		call := userCall(name, "weather?")
		call.Messages = append(call.Messages,
			domain.Message{Role: domain.RoleAssistant, ToolCalls: []domain.ToolCall{{ID: "call_0", Name: "get_time", Arguments: `{"tz":"CET"}`}}},
			domain.Message{Role: domain.RoleTool, ToolCallID: "call_0", Name: "get_time", Content: "12:00"})
		call.Params.Tools = []domain.Tool{{Name: "get_weather", Description: "Weather", Parameters: domain.RawJSON(`{"type":"object"}`)}}

		comp, err := m.Complete(t.Context(), call)

		require.NoError(t, err)
		require.Len(t, comp.ToolCalls, 1)
		require.Equal(t, want.Name, comp.ToolCalls[0].Name)
		require.JSONEq(t, want.Arguments, comp.ToolCalls[0].Arguments)
		require.NotEmpty(t, comp.ToolCalls[0].ID)
		require.Equal(t, domain.FinishToolCalls, comp.FinishReason)
		body := srv.LastJSON(t)
		tools := body["tools"].([]any)
		require.Equal(t, "get_weather", tools[0].(map[string]any)["function"].(map[string]any)["name"])
		sent := body["messages"].([]any)[1].(map[string]any)["tool_calls"].([]any)[0].(map[string]any)["function"].(map[string]any)
		require.Equal(t, "get_time", sent["name"])
		switch args := sent["arguments"].(type) {
		case string: // OpenAI: arguments are JSON text
			require.JSONEq(t, `{"tz":"CET"}`, args)
		case map[string]any: // Ollama: arguments are an object
			require.Equal(t, "CET", args["tz"])
		default:
			t.Fatalf("unexpected arguments %T", args)
		}
	})
}

func TestConformance_sequential_calls_reuse_one_connection(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.Header.Get("Accept"), "event-stream") {
				fakeupstream.Stream(p.dialect, w, []fakeupstream.Answer{{Text: "x"}}, fakeupstream.Answer{})
				return
			}
			p.dialect.WriteJSON(w, fakeupstream.Answer{Text: "x"})
		})
		m, name := newModel(t, p, srv, llm.Options{})

		for i := range 200 {
			var err error
			if i%2 == 0 {
				_, err = m.Complete(t.Context(), userCall(name, "hi"))
			} else {
				_, err = m.Stream(t.Context(), userCall(name, "hi"), (&fakeupstream.Deltas{}).Emit)
			}
			require.NoError(t, err)
		}

		require.Len(t, srv.Requests(), 200)
		require.LessOrEqual(t, srv.NewConns(), 2)
	})
}

func TestConformance_a_refused_connection_is_retried_a_bounded_number_of_times(t *testing.T) {
	forEachProvider(t, func(t *testing.T, p provider) {
		srv := fakeupstream.Start(t, func(w http.ResponseWriter, r *http.Request) {})
		url := srv.URL()
		srv.Close() // nothing listens on the port any more
		spec := p.spec(url)
		reg, err := llm.NewRegistry([]domain.ModelSpec{spec}, llm.Options{MaxRetries: 1})
		require.NoError(t, err)
		m, err := reg.Resolve(spec.Name)
		require.NoError(t, err)

		_, err = m.Complete(t.Context(), userCall(spec.Name, "hi"))

		lerr := requireLLMError(t, err, domain.LLMConnection, spec.Name)
		require.Equal(t, 2, lerr.Attempts)
		require.NotContains(t, lerr.Message, "http://", "the message names no URL")
	})
}
