package bootstrap_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

func TestReloadSwapsTheConfigurationForNewRequestsOnly(t *testing.T) {
	gate := make(chan struct{})
	fake := fakeupstream.New(fakeupstream.Config{Record: true, Hold: holdModel("old-model", gate)})
	defer fake.Close()
	app, err := bootstrap.Build(t.Context(), settingsFor(fake, "old-model"), testDeps())
	require.NoError(t, err)
	app.SetReady(true)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()

	type result struct {
		status int
		body   []byte
		err    error
	}
	inflight := make(chan result, 1)
	go func() {
		st, b, err := do(t.Context(), t, http.MethodPost, srv.URL+"/v1/chat/completions", chatBody("old-model", false))
		inflight <- result{st, b, err}
	}()
	require.NoError(t, fake.WaitFor(waitCtx(t), func(s *fakeupstream.Server) bool { return s.InFlight() == 1 }))

	require.NoError(t, app.Reload(settingsFor(fake, "new-model")))

	st, body, err := do(t.Context(), t, http.MethodGet, srv.URL+"/v1/models", "")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, []string{"chorus", "analyst", "synth", "new-model"}, modelIDs(t, body))

	st, body, err = do(t.Context(), t, http.MethodPost, srv.URL+"/v1/chat/completions", chatBody("chorus", false))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st, string(body))
	var workers []string
	for _, r := range fake.Requests() {
		if r.Kind == fakeupstream.KindChat && r.Model != "synth" {
			workers = append(workers, r.Model)
		}
	}
	// The fake counts a request in flight before it records it, so the held
	// request may be recorded after the workflow's calls: order is not asserted.
	require.ElementsMatch(t, []string{"old-model", "new-model"}, workers, "the workflow after reload runs the new worker")

	select {
	case r := <-inflight:
		t.Fatalf("the held request finished before release: %+v", r)
	default:
	}
	close(gate)
	r := <-inflight
	require.NoError(t, r.err)
	require.Equal(t, http.StatusOK, r.status, "the request started before the reload finishes on the old configuration: %s", r.body)
	require.Contains(t, chatText(t, r.body), "old-model answers")
}

func TestAnInvalidReloadKeepsTheRunningConfiguration(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()
	app, err := bootstrap.Build(t.Context(), settingsFor(fake, "w1"), testDeps())
	require.NoError(t, err)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()

	tests := []struct {
		name   string
		mutate func(s *config.Settings)
	}{
		{"an unknown provider is rejected", func(s *config.Settings) { s.Models[2].Provider = "carrier-pigeon" }},
		{"a bad api_base is rejected", func(s *config.Settings) { s.Models[2].APIBase = "ftp://nowhere" }},
		{"a workflow without a root plan is rejected", func(s *config.Settings) { s.Workflow.Root = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := settingsFor(fake, "w2")
			tt.mutate(bad)
			require.Error(t, app.Reload(bad))
			require.Equal(t, []string{"chorus", "analyst", "synth", "w1"}, getModels(t, srv.URL))
			st, body, err := do(t.Context(), t, http.MethodPost, srv.URL+"/v1/chat/completions", chatBody("w1", false))
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, st, string(body))
		})
	}
}

func getModels(t *testing.T, base string) []string {
	t.Helper()
	st, body, err := do(t.Context(), t, http.MethodGet, base+"/v1/models", "")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	return modelIDs(t, body)
}

func TestReloadsDropEveryRetiredGenerationOnceItsRequestsEnd(t *testing.T) {
	gate := make(chan struct{})
	fake := fakeupstream.New(fakeupstream.Config{Hold: holdModel("held", gate)})
	defer fake.Close()
	settings := func(worker string) *config.Settings { return heldForAnHour(fake, worker) }
	app, err := bootstrap.Build(t.Context(), settings("w0"), testDeps())
	require.NoError(t, err)
	app.SetReady(true)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	post := func(model string) (int, error) { return postChat(t.Context(), client, srv.URL, model) }
	st, err := post("w0")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	baseline := runtime.NumGoroutine()

	held := make(chan error, 1)
	go func() {
		st, err := post("held")
		if err == nil && st != http.StatusOK {
			err = fmt.Errorf("held request: status %d", st)
		}
		held <- err
	}()
	require.NoError(t, fake.WaitFor(waitCtx(t), func(s *fakeupstream.Server) bool { return s.InFlight() == 1 }))

	const reloads = 200
	for i := range reloads {
		require.NoError(t, app.Reload(settings(fmt.Sprintf("w%d", i+1))))
		st, err := post(fmt.Sprintf("w%d", i+1)) // each generation opens upstream connections of its own
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, st)
	}
	require.Equal(t, 1, app.RetiredGenerations(), "only the generation of the held request is kept")

	close(gate)
	require.NoError(t, <-held)
	require.Zero(t, app.RetiredGenerations(), "the last request on a retired generation drops it")

	// Dropped generations closed their upstream connections: the goroutines
	// that served them exit (asynchronously, so the count is awaited).
	client.CloseIdleConnections()
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= baseline },
		10*time.Second, 10*time.Millisecond, "goroutines: baseline %d, now %d", baseline, runtime.NumGoroutine())
}

// heldForAnHour is the config of generation worker plus model "held",
// whose request must outlive 200 reloads however slow the machine is: its
// stage timeout is far beyond the test's own deadline.
func heldForAnHour(fake *fakeupstream.Server, worker string) *config.Settings {
	st := settingsFor(fake, worker, "held")
	for i := range st.Models {
		if st.Models[i].Name == "held" {
			st.Models[i].Timeouts.Worker = time.Hour
			st.Workflow.Models["held"] = st.Models[i]
		}
	}
	return st
}

// postChat sends a non-stream chat request for model and reads the answer.
func postChat(ctx context.Context, client *http.Client, base, model string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/chat/completions",
		stringsReader(chatBody(model, false)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}
