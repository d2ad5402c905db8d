package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// freePortPair returns a free port P whose successor P+1 was free too (the
// default admin port of a server on P).
func freePortPair(t *testing.T) int {
	t.Helper()
	for range 20 {
		p := freePort(t)
		if l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p+1))); err == nil {
			_ = l.Close()
			return p
		}
	}
	t.Fatal("no two adjacent free ports")
	return 0
}

// --admin-addr (and CHORUS_ADMIN_ADDR) move or turn off the admin listener
// of any configuration; unset, it is loopback on the port after --port.
func TestRun_AdminAddrFlag(t *testing.T) {
	t.Parallel()
	stopped := func() context.Context {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // log the start-up lines, then stop
		return ctx
	}
	defaults := map[string]string{"HOME": "", "CHORUS_ADMIN_ADDR": ""}
	t.Run("unset, the demo's admin listener follows --port", func(t *testing.T) {
		t.Parallel()
		port := freePortPair(t)
		code, out, errOut := runCLI(t, stopped(), exampleEnv(defaults), "--demo", "--port", strconv.Itoa(port))
		require.Equal(t, 0, code, errOut+out)
		require.Contains(t, out, fmt.Sprintf(`"admin_addr":"127.0.0.1:%d"`, port+1))
	})
	t.Run("--admin-addr wins over CHORUS_ADMIN_ADDR", func(t *testing.T) {
		t.Parallel()
		admin := freePort(t)
		env := exampleEnv(map[string]string{"CHORUS_ADMIN_ADDR": "127.0.0.1:1"})
		code, out, errOut := runCLI(t, stopped(), env, "--demo", "--port", strconv.Itoa(freePort(t)), "--admin-addr", fmt.Sprintf("127.0.0.1:%d", admin))
		require.Equal(t, 0, code, errOut+out)
		require.Contains(t, out, fmt.Sprintf(`"admin_addr":"127.0.0.1:%d"`, admin))
	})
	for _, off := range []string{"off", ""} {
		t.Run(fmt.Sprintf("--admin-addr %q turns it off", off), func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCLI(t, stopped(), exampleEnv(defaults), "--demo", "--port", strconv.Itoa(freePort(t)), "--admin-addr", off)
			require.Equal(t, 0, code, errOut+out)
			require.Contains(t, out, "admin listener off")
			require.NotContains(t, out, `"admin_addr"`)
		})
	}
	t.Run("a taken admin address exits 1 with a hint", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer func() { _ = ln.Close() }()
		code, out, errOut := runCLI(t, context.Background(), exampleEnv(defaults),
			"--demo", "--port", strconv.Itoa(freePort(t)), "--admin-addr", ln.Addr().String())
		require.Equal(t, 1, code, out)
		require.Regexp(t, `admin listener .*address already in use.*: try --admin-addr 127\.0\.0\.1:\d+ .*or --admin-addr off`, errOut)
	})
	t.Run("an --admin-addr that is no host:port is a configuration problem", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := runCLI(t, context.Background(), exampleEnv(defaults), "--demo", "--admin-addr", "9090")
		require.Equal(t, 1, code)
		require.Contains(t, errOut, `CHORUS_ADMIN_ADDR (or --admin-addr) "9090" is not host:port`)
	})
}
