package bootstrap_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// logSink is a goroutine-safe log buffer.
type logSink struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// adminLogged is the admin address of the start-up line.
var adminLogged = regexp.MustCompile(`"admin_addr":"([^"]+)"`)

// status GETs url and returns the status code.
func status(t *testing.T, url string) int {
	t.Helper()
	st, _, err := do(t.Context(), t, http.MethodGet, url, "")
	require.NoError(t, err, url)
	return st
}

// requireRefused requires that nothing accepts connections on addr any more.
func requireRefused(t *testing.T, addr string) {
	t.Helper()
	var d net.Dialer
	conn, err := d.DialContext(t.Context(), "tcp", addr)
	if err == nil {
		_ = conn.Close()
	}
	require.Error(t, err, "%s still accepts connections", addr)
}

func TestAdminListener_MetricsAndPprofLeaveThePublicPort(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	s := settingsFor(fake, "w1")
	s.Server.AdminAddr = "127.0.0.1:0" // as the file's admin_addr: Serve opens it
	s.Server.Pprof = true
	logs := &logSink{}
	r := serve(t, bootstrap.Options{Settings: s, Logger: zerolog.New(logs)})
	m := adminLogged.FindStringSubmatch(logs.String())
	require.NotNil(t, m, "the start-up log says where the admin listener is: %s", logs.String())
	admin := "http://" + m[1]
	require.NotEqual(t, r.base, admin)

	st, _, err := do(t.Context(), t, http.MethodPost, r.base+"/v1/chat/completions", chatBody("w1", false))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)

	for _, p := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
		require.Equal(t, http.StatusNotFound, status(t, r.base+p), "public %s", p)
	}
	st, body, err := do(t.Context(), t, http.MethodGet, admin+"/metrics", "")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, string(body), `chorus_http_requests_total{method="POST",route="/v1/chat/completions",status="200"} 1`,
		"the admin listener's metrics count the public port's requests")
	for _, p := range []string{"/debug/pprof/", "/debug/pprof/heap?debug=1", "/healthz", "/readyz"} {
		require.Equal(t, http.StatusOK, status(t, admin+p), "admin %s", p)
	}
	require.Equal(t, http.StatusNotFound, status(t, admin+"/v1/models"), "the API is not on the admin listener")
	require.Equal(t, http.StatusOK, status(t, r.base+"/healthz"), "the public probes stay")
}

func TestAdminListener_PprofStaysOffUnlessAsked(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r := serve(t, bootstrap.Options{Settings: settingsFor(fake, "w1"), AdminListener: adminLn})
	admin := "http://" + adminLn.Addr().String()
	require.Equal(t, http.StatusOK, status(t, admin+"/metrics"))
	require.Equal(t, http.StatusNotFound, status(t, admin+"/debug/pprof/"))
	require.Equal(t, http.StatusNotFound, status(t, r.base+"/debug/pprof/"))
}

func TestAdminListener_OffWhenTheAddressIsEmpty(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	logs := &logSink{}
	r := serve(t, bootstrap.Options{Settings: settingsFor(fake, "w1"), Logger: zerolog.New(logs)})
	require.Contains(t, logs.String(), "admin listener off")
	require.NotRegexp(t, adminLogged, logs.String())
	require.Equal(t, http.StatusNotFound, status(t, r.base+"/metrics"))
}

func TestAdminListener_ATakenAddressFailsTheStart(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = taken.Close() }()
	s := settingsFor(fake, "w1")
	s.Server.AdminAddr = taken.Addr().String()
	public, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)

	err = bootstrap.ServeListener(t.Context(), public, bootstrap.Options{Settings: s, TracerProvider: noop.NewTracerProvider()})
	var inUse *bootstrap.AddrInUseError
	require.ErrorAs(t, err, &inUse)
	require.True(t, inUse.Admin)
	require.Regexp(t, `^admin listener \(\[server\] admin_addr\): listen on 127\.0\.0\.1:\d+: address already in use.*: try --admin-addr 127\.0\.0\.1:\d+ \(or CHORUS_ADMIN_ADDR=127\.0\.0\.1:\d+\), or --admin-addr off`, err.Error())
	requireRefused(t, public.Addr().String())
}

func TestAdminListener_DrainsAndStopsWithThePublicServer(t *testing.T) {
	gate := make(chan struct{})
	fake := fakeupstream.New(fakeupstream.Config{Hold: holdModel("w1", gate)})
	defer fake.Close()
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	admin := adminLn.Addr().String()
	r := serve(t, bootstrap.Options{Settings: settingsFor(fake, "w1"), AdminListener: adminLn})
	public := r.base[len("http://"):]

	answered := make(chan int, 1)
	go func() {
		st, _, err := do(context.Background(), t, http.MethodPost, r.base+"/v1/chat/completions", chatBody("w1", false))
		if err != nil {
			st = -1
		}
		answered <- st
	}()
	require.NoError(t, fake.WaitFor(waitCtx(t), func(s *fakeupstream.Server) bool { return s.InFlight() == 1 }))
	r.cancel()
	select {
	case <-r.app.Draining():
	case <-time.After(10 * time.Second):
		t.Fatal("drain did not start")
	}
	// While the public port drains, the admin listener still answers: its
	// readiness says draining and the last scrapes see the request.
	require.Equal(t, http.StatusServiceUnavailable, status(t, "http://"+admin+"/readyz"))
	require.Equal(t, http.StatusOK, status(t, "http://"+admin+"/metrics"))
	select {
	case err := <-r.done:
		t.Fatalf("serve returned while a request was in flight: %v", err)
	default:
	}

	close(gate)
	require.Equal(t, http.StatusOK, <-answered, "the in-flight request finishes")
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not return")
	}
	requireRefused(t, public)
	requireRefused(t, admin)
}
