package fakeupstream

import (
	"context"
	"net/http"
	"strconv"
)

// dialect is what one wire format sends when a fault cuts an answer short.
type dialect struct {
	// err500 and err401 write the format's error body with that status.
	err500, err401 func(w http.ResponseWriter)
	// truncated is the non-stream FaultInvalidJSON body.
	truncated string
	// cut is the non-stream FaultCutStream body sent before the connection drops.
	cut string
}

// begin runs the steps every wire format shares once req is decoded: it
// classifies req, picks and records its fault, waits out Hold and Latency and
// answers the faults that replace a normal body. It returns the recorded
// request, whether the handler is done, and (when done) whether the request
// completed.
func (s *Server) begin(ctx context.Context, w http.ResponseWriter, req Request, d dialect) (Request, bool, bool) {
	req.Kind = Classify(req.Messages, req.Tools)
	if s.cfg.Faults != nil {
		req.Fault = s.cfg.Faults(req)
	}
	req = s.record(req)
	if !s.hold(ctx, req) || !Wait(ctx, s.cfg.Latency) {
		return req, true, false
	}
	switch req.Fault {
	case Fault500:
		d.err500(w)
		return req, true, true
	case Fault401:
		d.err401(w)
		return req, true, true
	case Fault429:
		w.Header().Set("Retry-After", strconv.Itoa(s.cfg.RetryAfterSecs))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": map[string]string{"message": "injected rate limit", "type": "rate_limit_error"}})
		return req, true, true
	case FaultEmpty:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		return req, true, true
	case FaultSlow:
		if !Wait(ctx, s.cfg.SlowDelay) {
			return req, true, false
		}
	case FaultInvalidJSON:
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(d.truncated))
			return req, true, true
		}
	case FaultCutStream:
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "4096")
			_, _ = w.Write([]byte(d.cut))
			w.(http.Flusher).Flush()
			abort()
		}
	}
	return req, false, false
}

// streamText sends text in Config.Chunks pieces, ChunkSpacing apart, and
// drops the connection halfway for FaultCutStream. It returns the number of
// pieces sent and false once the client is gone.
func (s *Server) streamText(ctx context.Context, req Request, text string, send func(piece string) bool) (int, bool) {
	pieces := Chunks(text, s.cfg.Chunks)
	for i, p := range pieces {
		if i > 0 && !Wait(ctx, s.cfg.ChunkSpacing) {
			return i, false
		}
		if req.Fault == FaultCutStream && i >= (len(pieces)+1)/2 {
			abort()
		}
		if !send(p) {
			return i, false
		}
	}
	return len(pieces), true
}
