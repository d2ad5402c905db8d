package hostile

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// floods maps a model name to what the hostile upstream sends for it, over
// and over until the client goes away.
var floods = map[string]struct{ contentType, prefix, unit string }{
	"sse-line":    {"text/event-stream", "data: ", strings.Repeat("x", 4096)},
	"sse-event":   {"text/event-stream", "", strings.Repeat(`data: {"choices":[]}`+"\n", 128)},
	"sse-endless": {"text/event-stream", "", strings.Repeat(`data: {"choices":[{"index":0,"delta":{"content":"0123456789abcdef"}}]}`+"\n\n", 64)},
	"nd-line":     {"application/x-ndjson", `{"message":{"content":"`, strings.Repeat("x", 4096)},
	"nd-endless":  {"application/x-ndjson", "", strings.Repeat(`{"message":{"role":"assistant","content":"0123456789abcdef"},"done":false}`+"\n", 64)},
}

// newHostileUpstream serves both dialects: the model named in the request
// body picks the flood.
func newHostileUpstream() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := r.Body.Read(buf)
			body.Write(buf[:n])
			if err != nil {
				break
			}
		}
		for name, f := range floods {
			if !strings.Contains(body.String(), `"model":"`+name+`"`) {
				continue
			}
			w.Header().Set("Content-Type", f.contentType)
			w.WriteHeader(http.StatusOK)
			unit := []byte(f.unit)
			if _, err := w.Write([]byte(f.prefix)); err != nil {
				return
			}
			for r.Context().Err() == nil {
				if _, err := w.Write(unit); err != nil {
					return // chorus cut the stream
				}
			}
			return
		}
		http.Error(w, "unknown model", http.StatusNotFound)
	}))
}
