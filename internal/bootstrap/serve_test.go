package bootstrap_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// running is a server started with bootstrap.Serve on 127.0.0.1:0.
type running struct {
	app    *bootstrap.App
	base   string
	cancel context.CancelFunc
	done   chan error
}

func serve(t *testing.T, opts bootstrap.Options) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan *running, 1)
	r := &running{cancel: cancel, done: make(chan error, 1)}
	opts.TracerProvider = noop.NewTracerProvider()
	opts.OnStart = func(app *bootstrap.App, addr net.Addr) {
		r.app, r.base = app, "http://"+addr.String()
		started <- r
	}
	go func() { r.done <- bootstrap.Serve(ctx, opts) }()
	select {
	case <-started:
	case err := <-r.done:
		t.Fatalf("serve ended before starting: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-r.done; err != nil {
			t.Logf("serve: %v", err)
		}
	})
	return r
}

func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not return after cancel")
		return nil
	}
}

func TestServeListensOnAFreePortAndAnswersHealthAndReadiness(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	r := serve(t, bootstrap.Options{Settings: settingsFor(fake, "w1")})
	for _, path := range []string{"/healthz", "/readyz"} {
		st, body, err := do(t.Context(), t, http.MethodGet, r.base+path, "")
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, st, "%s: %s", path, body)
	}
	require.NoError(t, r.stop(t))
	_, _, err := do(t.Context(), t, http.MethodGet, r.base+"/healthz", "")
	require.Error(t, err, "the listener is closed after shutdown")
}

func TestGracefulShutdownLetsAnInFlightStreamFinish(t *testing.T) {
	gate := make(chan struct{})
	fake := fakeupstream.New(fakeupstream.Config{Hold: holdModel("w1", gate), Chunks: 3})
	defer fake.Close()
	r := serve(t, bootstrap.Options{Settings: settingsFor(fake, "w1")})

	type result struct {
		text string
		done bool
		err  error
	}
	streamed := make(chan result, 1)
	go func() {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, r.base+"/v1/chat/completions",
			stringsReader(chatBody("w1", true)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			streamed <- result{err: err}
			return
		}
		defer resp.Body.Close()
		text, done, err := sseText(resp.Body)
		streamed <- result{text: text, done: done, err: err}
	}()
	require.NoError(t, fake.WaitFor(waitCtx(t), func(s *fakeupstream.Server) bool { return s.InFlight() == 1 }))

	r.cancel()
	select {
	case <-r.app.Draining():
	case <-time.After(10 * time.Second):
		t.Fatal("drain did not start")
	}
	rec := httptest.NewRecorder()
	r.app.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, "not ready while draining")
	select {
	case err := <-r.done:
		t.Fatalf("serve returned while a stream was in flight: %v", err)
	default:
	}

	close(gate)
	res := <-streamed
	require.NoError(t, res.err)
	require.True(t, res.done, "the stream ends with [DONE]")
	require.Contains(t, res.text, "w1 answers")
	require.NoError(t, <-r.done)
	r.done <- nil
}

func TestShutdownCancelsRequestsStillRunningAtTheDeadline(t *testing.T) {
	gate := make(chan struct{}) // never closed: the upstream hangs
	fake := fakeupstream.New(fakeupstream.Config{Hold: holdModel("w1", gate)})
	defer fake.Close()
	s := settingsFor(fake, "w1")
	s.Server.ShutdownTimeout = 200 * time.Millisecond
	r := serve(t, bootstrap.Options{Settings: s})

	answered := make(chan error, 1)
	go func() {
		_, _, err := do(context.Background(), t, http.MethodPost, r.base+"/v1/chat/completions", chatBody("w1", false))
		answered <- err
	}()
	require.NoError(t, fake.WaitFor(waitCtx(t), func(s *fakeupstream.Server) bool { return s.InFlight() == 1 }))
	require.NoError(t, r.stop(t))
	require.NoError(t, fake.WaitFor(waitCtx(t), func(s *fakeupstream.Server) bool { return s.Canceled() == 1 }),
		"the upstream call is canceled when the drain deadline passes")
	if err := <-answered; err == nil {
		t.Log("the canceled request was answered with an error status before the connection closed")
	}
}

func TestReloadRequestsAndSIGHUPReloadTheConfiguration(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	next := make(chan *config.Settings, 1)
	results := make(chan error, 1)
	trigger := make(chan struct{})
	r := serve(t, bootstrap.Options{
		Settings: settingsFor(fake, "w1"),
		Reload: func(context.Context) (*config.Settings, error) {
			s := <-next
			if s == nil {
				return nil, errors.New("config file is broken")
			}
			return s, nil
		},
		ReloadRequests: trigger,
		OnReload:       func(err error) { results <- err },
	})

	next <- settingsFor(fake, "w2")
	trigger <- struct{}{}
	require.NoError(t, <-results)
	require.Equal(t, []string{"chorus", "analyst", "synth", "w2"}, getModels(t, r.base))

	next <- nil
	trigger <- struct{}{}
	require.ErrorContains(t, <-results, "config file is broken")
	require.Equal(t, []string{"chorus", "analyst", "synth", "w2"}, getModels(t, r.base), "a failed reload keeps the running config")

	next <- settingsFor(fake, "w3")
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	select {
	case err := <-results:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("SIGHUP did not reload")
	}
	require.Equal(t, []string{"chorus", "analyst", "synth", "w3"}, getModels(t, r.base))
}
