package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/pprof"
)

// AdminOptions configure the admin listener's handler.
type AdminOptions struct {
	// Metrics is served at GET /metrics; nil answers 404.
	Metrics http.Handler
	// Pprof mounts net/http/pprof under /debug/pprof/ when true.
	Pprof bool
	// Ready reports readiness for /readyz (nil → always ready).
	Ready func() bool
}

// NewAdmin returns the handler of the admin listener: /metrics, /healthz,
// /readyz and, with Pprof, /debug/pprof/. None of it is on the public port
// (as ardanlabs/service keeps its debug service apart): metrics carry no
// auth because scrapers carry no key, and profiles expose the process, so
// both belong on an address only the operator's network reaches.
func NewAdmin(opts AdminOptions) http.Handler {
	ready := opts.Ready
	if ready == nil {
		ready = func() bool { return true }
	}
	mux := http.NewServeMux()
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", opts.Metrics)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeStatus(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !ready() {
			writeStatus(w, http.StatusServiceUnavailable, "draining")
			return
		}
		writeStatus(w, http.StatusOK, "ready")
	})
	if opts.Pprof {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// writeStatus answers the probes' {"status": ...} object.
func writeStatus(w http.ResponseWriter, code int, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"status": status})
}
