package fakeupstream_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func TestNonStreamAnswerIsAChatCompletionAfterTheLatency(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Preencoded: true, Latency: 20 * time.Millisecond, Model: "m1"})
	defer s.Close()

	start := time.Now()
	resp := post(t, s.OpenAIBase()+"/chat/completions", `{"model":"m1","messages":[{"role":"user","content":"hi"}]}`)
	var got struct {
		Object  string `json:"object"`
		Model   string `json:"model"`
		Choices []struct {
			Message      struct{ Role, Content string } `json:"message"`
			FinishReason string                         `json:"finish_reason"`
		} `json:"choices"`
		Usage struct {
			TotalTokens int `json:"total_tokens"`
		} `json:"usage"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	require.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	require.Equal(t, "chat.completion", got.Object)
	require.Equal(t, "m1", got.Model)
	require.Len(t, got.Choices, 1)
	require.Equal(t, "assistant", got.Choices[0].Message.Role)
	require.JSONEq(t, fakeupstream.BenchContent, got.Choices[0].Message.Content)
	require.Equal(t, "stop", got.Choices[0].FinishReason)
	require.Equal(t, 28, got.Usage.TotalTokens)
}

type chunk struct {
	Object  string `json:"object"`
	Choices []struct {
		Delta struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		TotalTokens int `json:"total_tokens"`
	} `json:"usage"`
}

// readSSE returns the decoded chunks and whether the stream ended with [DONE].
func readSSE(t *testing.T, resp *http.Response) ([]chunk, bool) {
	t.Helper()
	var out []chunk
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		require.True(t, ok, "unexpected SSE line %q", line)
		if data == "[DONE]" {
			for sc.Scan() {
				require.Empty(t, sc.Text(), "nothing may follow [DONE]")
			}
			return out, true
		}
		var c chunk
		require.NoError(t, json.Unmarshal([]byte(data), &c))
		out = append(out, c)
	}
	require.NoError(t, sc.Err())
	return out, false
}

func TestStreamSendsEveryChunkThenStopThenDone(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantUsage bool
	}{
		{"a plain stream has no usage chunk", `{"model":"m","stream":true,"messages":[]}`, false},
		{"include_usage adds the usage chunk", `{"model":"m","stream": true,"stream_options":{"include_usage" : true},"messages":[]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeupstream.New(fakeupstream.Config{Preencoded: true, Chunks: 4})
			defer s.Close()

			resp := post(t, s.OpenAIBase()+"/chat/completions", tt.body)
			require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
			chunks, done := readSSE(t, resp)
			require.True(t, done)
			want := 4 + 1
			if tt.wantUsage {
				want++
			}
			require.Len(t, chunks, want)
			require.Equal(t, "assistant", chunks[0].Choices[0].Delta.Role)
			var text strings.Builder
			for i, c := range chunks[:4] {
				require.Equal(t, "chat.completion.chunk", c.Object)
				require.Nil(t, c.Choices[0].FinishReason, "chunk %d", i)
				text.WriteString(c.Choices[0].Delta.Content)
			}
			require.JSONEq(t, fakeupstream.BenchContent, text.String())
			require.Equal(t, "stop", *chunks[4].Choices[0].FinishReason)
			if tt.wantUsage {
				require.Empty(t, chunks[5].Choices)
				require.NotNil(t, chunks[5].Usage)
				require.Equal(t, 28, chunks[5].Usage.TotalTokens)
			}
		})
	}
}

func TestFirstChunkIsRecordedForMarkedStreamsOnly(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Preencoded: true, Chunks: 2})
	defer s.Close()

	before := time.Now()
	resp := post(t, s.OpenAIBase()+"/chat/completions", `{"stream":true,"messages":[{"role":"user","content":"q bench-id:42 tail"}]}`)
	_, done := readSSE(t, resp)
	require.True(t, done)
	after := time.Now()
	got, ok := s.FirstChunk(42)
	require.True(t, ok)
	require.False(t, got.Before(before))
	require.False(t, got.After(after))

	resp = post(t, s.OpenAIBase()+"/chat/completions", `{"messages":[{"role":"user","content":"bench-id:43"}]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_, ok = s.FirstChunk(43)
	require.False(t, ok, "a non-streamed request records nothing")
}

func TestPreencodedCountsConnections(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Preencoded: true})
	require.True(t, strings.HasPrefix(s.OpenAIBase(), "http://127.0.0.1:"))
	send := func(c *http.Client) {
		t.Helper()
		resp, err := c.Post(s.OpenAIBase()+"/chat/completions", "application/json", strings.NewReader(`{"model":"m"}`))
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	keep := &http.Client{Transport: &http.Transport{}}
	send(keep)
	send(keep)
	require.Equal(t, 1, s.NewConns(), "a keep-alive connection is reused")
	send(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}})
	require.Equal(t, 2, s.NewConns(), "a new connection is counted")

	s.Close()
	_, err := keep.Post(s.OpenAIBase()+"/chat/completions", "application/json", strings.NewReader("{}"))
	require.Error(t, err)
}

func TestTakeSpansReturnsEachMarkedCallOnce(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Preencoded: true, Latency: 5 * time.Millisecond, Chunks: 2})
	defer s.Close()

	before := time.Now()
	resp := post(t, s.OpenAIBase()+"/chat/completions", `{"messages":[{"role":"user","content":"bench-id:7"}]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_, _ = readSSE(t, post(t, s.OpenAIBase()+"/chat/completions", `{"stream":true,"messages":[{"role":"user","content":"bench-id:7"}]}`))
	_ = post(t, s.OpenAIBase()+"/chat/completions", `{"messages":[{"role":"user","content":"no marker"}]}`)

	spans := s.TakeSpans(7)
	require.Len(t, spans, 2)
	for i, sp := range spans {
		require.False(t, sp.Start.Before(before), "span %d", i)
		require.GreaterOrEqual(t, sp.End.Sub(sp.Start), 5*time.Millisecond, "span %d covers the latency", i)
	}
	require.False(t, spans[0].Stream)
	require.True(t, spans[1].Stream)
	require.Empty(t, s.TakeSpans(7), "spans are handed out once")
	require.Empty(t, s.TakeSpans(0))
}

func TestNextIDNeverRepeats(t *testing.T) {
	s := fakeupstream.New(fakeupstream.Config{Preencoded: true})
	defer s.Close()
	seen := map[uint64]bool{}
	for range 100 {
		id := s.NextID()
		require.False(t, seen[id])
		seen[id] = true
	}
}
