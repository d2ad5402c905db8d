package upstream

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// Idle keep-alive connections kept per upstream host and in all. A workflow
// runs several calls per request at once (50 concurrent three-worker
// workflows hold about 150 calls), so a small idle pool would close
// connections at every dip in concurrency and dial them again at the next
// peak. MaxConnsPerHost stays unlimited: a call never waits for a slot.
const (
	maxIdleConnsPerHost = 1024
	maxIdleConns        = 4096
)

// NewTransport returns the keep-alive transport shared by every model of one
// upstream host. It has no overall timeout: per-call deadlines come from the
// caller's context so long streams are not cut.
func NewTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          maxIdleConns,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
}
