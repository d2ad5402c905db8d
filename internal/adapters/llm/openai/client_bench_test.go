package openai_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chorus-ai/chorus/internal/adapters/llm/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// BenchmarkComplete measures one whole non-streamed call over loopback
// HTTP: encoding, the keep-alive round trip, reading and decoding.
func BenchmarkComplete(b *testing.B) {
	body := `{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-fake","choices":[{"index":0,"message":{"role":"assistant","content":"` +
		strings.Repeat("The quick brown fox jumps over the lazy dog. ", 40) +
		`","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":400,"total_tokens":410}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c := openai.New(domain.ModelSpec{Name: "gpt-fake", Provider: domain.ProviderOpenAI, APIBase: srv.URL + "/v1"},
		openai.Options{HTTPClient: srv.Client()})
	req := call("Say hello to the benchmark.")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Complete(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}
