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
