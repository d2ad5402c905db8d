package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// --port (and --host) override any configuration, the demo's included, and
// a port already taken says so with a port to try instead.
func TestRun_HostAndPortFlags(t *testing.T) {
	t.Parallel()
	t.Run("--port moves the demo", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // log the start-up lines, then stop
		port := freePort(t)
		code, out, errOut := runCLI(t, ctx, exampleEnv(map[string]string{"HOME": t.TempDir()}),
			"--demo", "--host", "127.0.0.1", "--port", strconv.Itoa(port))
		require.Equal(t, 0, code, errOut+out)
		require.Contains(t, out, fmt.Sprintf(`"addr":"127.0.0.1:%d"`, port))
	})
	t.Run("--port wins over CHORUS_PORT and the file", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		port := freePort(t)
		cfg := writeTemp(t, "c.toml", fmt.Sprintf(loggingTOML, 1))
		code, out, errOut := runCLI(t, ctx, exampleEnv(map[string]string{"CHORUS_PORT": "2"}), "-c", cfg, "--port", strconv.Itoa(port))
		require.Equal(t, 0, code, errOut+out)
		require.Contains(t, out, fmt.Sprintf(`"addr":"127.0.0.1:%d"`, port))
	})
	t.Run("a taken port exits 1 with a hint", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer func() { _ = ln.Close() }()
		taken := ln.Addr().(*net.TCPAddr).Port
		code, out, errOut := runCLI(t, context.Background(), exampleEnv(map[string]string{"HOME": t.TempDir()}),
			"--demo", "--port", strconv.Itoa(taken))
		require.Equal(t, 1, code, out)
		require.Regexp(t, `address already in use.*: try --port \d+`, errOut)
	})
	t.Run("a --port that is no port number is a configuration problem", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, context.Background(), exampleEnv(map[string]string{"HOME": t.TempDir()}), "--demo", "--port", "http")
		require.Equal(t, 1, code)
		require.Contains(t, errOut, "CHORUS_PORT (or --port)")
	})
}
