package fakeupstream_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer k1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func TestOpenAIAnswersAreDeterministicAndRecorded(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Record: true})
	defer s.Close()

	tests := []struct {
		name   string
		prompt string
		kind   fakeupstream.Kind
		check  func(t *testing.T, content string)
	}{
		{"an analyzer prompt gets a temperature JSON", `Return JSON {"temperature": 0.7}. Prompt: hi`, fakeupstream.KindAnalyzer, func(t *testing.T, c string) {
			var v struct{ Temperature float64 }
			require.NoError(t, json.Unmarshal([]byte(c), &v))
			require.InDelta(t, fakeupstream.AnalyzerTemperature, v.Temperature, 1e-9)
		}},
		{"a selector prompt gets a selected_index JSON", `pick one, answer {"selected_index": n}`, fakeupstream.KindSelector, func(t *testing.T, c string) {
			var v struct {
				SelectedIndex int `json:"selected_index"`
			}
			require.NoError(t, json.Unmarshal([]byte(c), &v))
			require.Equal(t, fakeupstream.SelectedIndex, v.SelectedIndex)
		}},
		{"a plain prompt gets the model's deterministic answer", "hello there", fakeupstream.KindChat, func(t *testing.T, c string) {
			require.Contains(t, c, "m1 answers")
			require.Contains(t, c, "temperature 0.30")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"model": "m1", "temperature": 0.3,
				"messages": []map[string]string{{"role": "user", "content": tt.prompt}}})
			resp := post(t, s.OpenAIBase()+"/chat/completions", string(body))
			require.Equal(t, http.StatusOK, resp.StatusCode)
			var out struct {
				Choices []struct {
					Message struct{ Content string }
				}
				Usage struct {
					TotalTokens int `json:"total_tokens"`
				}
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
			tt.check(t, out.Choices[0].Message.Content)
			require.Positive(t, out.Usage.TotalTokens)
			reqs := s.Requests()
			last := reqs[len(reqs)-1]
			require.Equal(t, tt.kind, last.Kind)
			require.Equal(t, "Bearer k1", last.Auth)
			require.Equal(t, fakeupstream.AnswerFor(last).Text, out.Choices[0].Message.Content)
		})
	}
}

func TestOpenAIStreamFollowsTheWireFormat(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Chunks: 4, Record: true})
	defer s.Close()
	resp := post(t, s.OpenAIBase()+"/chat/completions",
		`{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	var text strings.Builder
	var events []map[string]any
	sc := bufio.NewScanner(resp.Body)
	done := false
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if line == "[DONE]" {
			done = true
			break
		}
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &ev))
		events = append(events, ev)
		if ch := ev["choices"].([]any); len(ch) > 0 {
			if c, ok := ch[0].(map[string]any)["delta"].(map[string]any)["content"].(string); ok {
				text.WriteString(c)
			}
		}
	}
	require.True(t, done, "stream ends with [DONE]")
	require.Len(t, events, 1+4+1+1, "role chunk, 4 content chunks, finish chunk, usage chunk")
	require.Equal(t, "assistant", events[0]["choices"].([]any)[0].(map[string]any)["delta"].(map[string]any)["role"])
	require.Equal(t, "stop", events[5]["choices"].([]any)[0].(map[string]any)["finish_reason"])
	require.Empty(t, events[6]["choices"])
	require.NotNil(t, events[6]["usage"])
	require.Equal(t, fakeupstream.AnswerFor(s.Requests()[0]).Text, text.String())
}

func TestToolsAreAnsweredWithToolCalls(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{})
	defer s.Close()
	body := `{"model":"m","messages":[{"role":"user","content":"USE_TOOL weather"}],
		"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]}`
	t.Run("OpenAI returns a tool call with string arguments", func(t *testing.T) {
		resp := post(t, s.OpenAIBase()+"/chat/completions", body)
		var out struct {
			Choices []struct {
				FinishReason string `json:"finish_reason"`
				Message      struct {
					ToolCalls []struct {
						Function struct{ Name, Arguments string }
					} `json:"tool_calls"`
				}
			}
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		require.Equal(t, "tool_calls", out.Choices[0].FinishReason)
		require.Equal(t, "lookup", out.Choices[0].Message.ToolCalls[0].Function.Name)
		require.JSONEq(t, `{"query":"weather"}`, out.Choices[0].Message.ToolCalls[0].Function.Arguments)
	})
	t.Run("Ollama returns a tool call with object arguments", func(t *testing.T) {
		resp := post(t, s.URL()+"/api/chat", strings.Replace(body, `"model":"m"`, `"model":"m","stream":false`, 1))
		var out struct {
			Message struct {
				ToolCalls []struct {
					Function struct {
						Name      string
						Arguments map[string]string
					}
				} `json:"tool_calls"`
			}
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		require.Equal(t, "weather", out.Message.ToolCalls[0].Function.Arguments["query"])
	})
}

func TestOllamaStreamsNDJSONByDefault(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Chunks: 3})
	defer s.Close()
	resp := post(t, s.URL()+"/api/chat", `{"model":"o","messages":[{"role":"user","content":"hi"}]}`)
	require.Equal(t, "application/x-ndjson", resp.Header.Get("Content-Type"))
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	lines := bytes.Split(bytes.TrimSpace(raw), []byte("\n"))
	require.Len(t, lines, 4)
	var last struct {
		Done       bool   `json:"done"`
		DoneReason string `json:"done_reason"`
		EvalCount  int    `json:"eval_count"`
	}
	require.NoError(t, json.Unmarshal(lines[3], &last))
	require.True(t, last.Done)
	require.Equal(t, "stop", last.DoneReason)
	require.Positive(t, last.EvalCount)
}

func TestFaultsAreInjected(t *testing.T) {
	tests := []struct {
		fault  fakeupstream.Fault
		stream bool
		check  func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{fakeupstream.Fault500, false, func(t *testing.T, r *http.Response, _ []byte, _ error) {
			require.Equal(t, 500, r.StatusCode)
		}},
		{fakeupstream.Fault401, false, func(t *testing.T, r *http.Response, _ []byte, _ error) {
			require.Equal(t, 401, r.StatusCode)
		}},
		{fakeupstream.FaultEmpty, false, func(t *testing.T, r *http.Response, b []byte, _ error) {
			require.Equal(t, 200, r.StatusCode)
			require.Empty(t, b)
		}},
		{fakeupstream.FaultInvalidJSON, false, func(t *testing.T, _ *http.Response, b []byte, _ error) {
			require.False(t, json.Valid(b))
		}},
		{fakeupstream.FaultCutStream, true, func(t *testing.T, _ *http.Response, b []byte, err error) {
			require.Error(t, err, "the connection is dropped mid-body")
			require.NotContains(t, string(b), "[DONE]")
		}},
		{fakeupstream.FaultCutStream, false, func(t *testing.T, _ *http.Response, _ []byte, err error) {
			require.Error(t, err)
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault)+" stream="+map[bool]string{true: "yes", false: "no"}[tt.stream], func(t *testing.T) {
			s := fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(tt.fault)})
			defer s.Close()
			body := `{"model":"m","messages":[{"role":"user","content":"one two three four"}],"stream":` +
				map[bool]string{true: "true", false: "false"}[tt.stream] + `}`
			resp := post(t, s.OpenAIBase()+"/chat/completions", body)
			b, err := io.ReadAll(resp.Body)
			tt.check(t, resp, b, err)
			require.EqualValues(t, 1, s.Faulted())
		})
	}
}

func TestClientCancelIsObserved(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Faults: fakeupstream.Always(fakeupstream.FaultSlow), SlowDelay: time.Minute})
	defer s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.OpenAIBase()+"/chat/completions",
			strings.NewReader(`{"model":"m","messages":[{"role":"user","content":"x"}]}`))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	wctx, wcancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer wcancel()
	require.NoError(t, s.WaitFor(wctx, func(s *fakeupstream.Server) bool { return s.InFlight() == 1 }))
	cancel()
	require.Error(t, <-errc)
	require.NoError(t, s.WaitFor(wctx, func(s *fakeupstream.Server) bool { return s.Canceled() == 1 && s.InFlight() == 0 }))
}

func TestRandomFaultsInjectAtTheRequestedRate(t *testing.T) {
	f := fakeupstream.Random(7, 0.5)
	faulted := 0
	for range 1000 {
		if f(fakeupstream.Request{}) != fakeupstream.FaultNone {
			faulted++
		}
	}
	require.InDelta(t, 500, faulted, 80)
}

func TestHoldKeepsRequestsUntilReleased(t *testing.T) {
	gate := make(chan struct{})
	s := fakeupstream.New(fakeupstream.Config{Hold: func(r fakeupstream.Request) <-chan struct{} {
		if r.Model == "held" {
			return gate
		}
		return nil
	}})
	defer s.Close()
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.OpenAIBase()+"/chat/completions",
			strings.NewReader(`{"model":"held","messages":[{"role":"user","content":"x"}]}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		_ = resp.Body.Close()
		done <- resp.StatusCode
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.WaitFor(ctx, func(s *fakeupstream.Server) bool { return s.InFlight() == 1 }))
	resp := post(t, s.OpenAIBase()+"/chat/completions", `{"model":"free","messages":[{"role":"user","content":"x"}]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "other models are not held")
	select {
	case <-done:
		t.Fatal("held request answered before release")
	default:
	}
	close(gate)
	require.Equal(t, http.StatusOK, <-done)
}
