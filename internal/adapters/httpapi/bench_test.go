package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

// BenchmarkChatStream measures one streamed chat request of 100 deltas
// through the whole Echo stack (allocations per request are reported).
func BenchmarkChatStream(b *testing.B) {
	gw := newBenchGateway(b)
	s, err := New(Options{Gateway: gw})
	if err != nil {
		b.Fatal(err)
	}
	events := make([]domain.StreamEvent, 100)
	for i := range events {
		events[i] = domain.StreamEvent{Delta: domain.Delta{Text: "token "}}
	}
	gw.EXPECT().Stream(gomock.Any(), gomock.Any(), gomock.Any()).DoAndReturn(streamOf(events, result("x"), nil)).AnyTimes()
	body := `{"stream":true,"messages":[{"role":"user","content":"hi"}]}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body))
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkDecodeOpenAIChat decodes a typical chat request: a system
// prompt, a few turns with line breaks and quotes, sampling parameters.
func BenchmarkDecodeOpenAIChat(b *testing.B) {
	body := []byte(`{"model":"chorus","temperature":0.7,"max_tokens":512,"stop":"\n\nUser:","messages":[` +
		`{"role":"system","content":"You are a helpful assistant.\nAnswer \"briefly\" and precisely."},` +
		`{"role":"user","content":"Compare two sorting algorithms.\nWhich is faster on nearly sorted input?"},` +
		`{"role":"assistant","content":"Insertion sort runs in O(n) on nearly sorted input; merge sort stays O(n log n)."},` +
		`{"role":"user","content":"And for ` + strings.Repeat("large random arrays of 64-bit keys, ", 8) + `?"}]}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, _, err := decodeOpenAIChat(body); err != nil {
			b.Fatal(err)
		}
	}
}
