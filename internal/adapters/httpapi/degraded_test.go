package httpapi

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"

	"github.com/chorus-ai/chorus/internal/domain"
)

func TestADegradedAnswerNamesItsFallenBackStagesInAHeader(t *testing.T) {
	routes := []struct{ path, body string }{
		{"/v1/chat/completions", `{"model":"chorus","messages":[{"role":"user","content":"hi"}]}`},
		{"/v1/completions", `{"model":"chorus","prompt":"hi"}`},
		{"/v1/responses", `{"model":"chorus","input":"hi"}`},
		{"/api/chat", `{"model":"chorus","stream":false,"messages":[{"role":"user","content":"hi"}]}`},
		{"/api/generate", `{"model":"chorus","stream":false,"prompt":"hi"}`},
	}
	for _, rt := range routes {
		t.Run(rt.path, func(t *testing.T) {
			s, gw := newTestServer(t)
			degraded := result("the first candidate")
			degraded.Trace = sampleTrace()
			degraded.Trace.Status = domain.StatusDegraded
			degraded.Trace.Synthesizer.Status = domain.StatusFallback
			gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(degraded, nil)
			rec := serve(t, s, http.MethodPost, rt.path, rt.body)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Equal(t, "synthesizer", rec.Header().Get(HeaderDegraded))

			gw.EXPECT().Complete(gomock.Any(), gomock.Any()).Return(result("a clean answer"), nil)
			rec = serve(t, s, http.MethodPost, rt.path, rt.body)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Empty(t, rec.Header().Get(HeaderDegraded))
		})
	}
}
