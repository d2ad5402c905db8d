package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// [server] admin_addr: where /metrics and /debug/pprof are served, never the
// public port.
func TestLoad_AdminAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, server string
		env          map[string]string
		want         string
	}{
		{"unset: loopback on the port after server.port", "", nil, "127.0.0.1:11436"},
		{"unset follows a moved server.port", "port = 9000\n", nil, "127.0.0.1:9001"},
		{"unset follows CHORUS_PORT (--port)", "port = 9000\n", map[string]string{"CHORUS_PORT": "18080"}, "127.0.0.1:18081"},
		{"the default host stays loopback when server.host is every interface", "host = \"0.0.0.0\"\n", nil, "127.0.0.1:11436"},
		{"empty turns it off", "admin_addr = \"\"\n", nil, ""},
		{"off turns it off", "admin_addr = \"off\"\n", nil, ""},
		{"every interface, for an in-cluster scraper", "admin_addr = \"0.0.0.0:9464\"\n", nil, "0.0.0.0:9464"},
		{"port 0 picks a free port at start", "admin_addr = \"127.0.0.1:0\"\n", nil, "127.0.0.1:0"},
		{"an IPv6 address", "admin_addr = \"[::1]:9464\"\n", nil, "[::1]:9464"},
		{"the same port on another host", "host = \"127.0.0.1\"\nadmin_addr = \"127.0.0.2:11435\"\n", nil, "127.0.0.2:11435"},
		{"CHORUS_ADMIN_ADDR wins over the file", "admin_addr = \"127.0.0.1:9000\"\n", map[string]string{"CHORUS_ADMIN_ADDR": "127.0.0.1:7000"}, "127.0.0.1:7000"},
		{"CHORUS_ADMIN_ADDR=off turns it off", "pprof = false\n", map[string]string{"CHORUS_ADMIN_ADDR": "off"}, ""},
		{"an empty CHORUS_ADMIN_ADDR is unset", "admin_addr = \"127.0.0.1:9000\"\n", map[string]string{"CHORUS_ADMIN_ADDR": " "}, "127.0.0.1:9000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := loadString(t, tomlWith(flatPlan, "[server]\n"+tc.server), envOf(tc.env))
			require.NoError(t, err)
			require.Equal(t, tc.want, s.Server.AdminAddr)
		})
	}
	t.Run("the demo has its admin listener on 127.0.0.1:11436, moved by --port and CHORUS_ADMIN_ADDR", func(t *testing.T) {
		t.Parallel()
		s, err := config.Load(config.LoadOptions{Demo: true, Getenv: noEnv, HomeDir: t.TempDir()})
		require.NoError(t, err)
		require.Equal(t, "127.0.0.1:11436", s.Server.AdminAddr)
		s, err = config.Load(config.LoadOptions{Demo: true, Getenv: envOf(map[string]string{"CHORUS_PORT": "11437"}), HomeDir: t.TempDir()})
		require.NoError(t, err)
		require.Equal(t, "127.0.0.1:11438", s.Server.AdminAddr)
		s, err = config.Load(config.LoadOptions{Demo: true, Getenv: envOf(map[string]string{"CHORUS_ADMIN_ADDR": "off"}), HomeDir: t.TempDir()})
		require.NoError(t, err)
		require.Empty(t, s.Server.AdminAddr)
	})
}

func TestLoad_AdminAddrProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, server string
		env          map[string]string
		fragments    []string
	}{
		{"no port", "admin_addr = \"localhost\"\n", nil, []string{"server.admin_addr", `"localhost" is not host:port`}},
		{"a URL", "admin_addr = \"http://127.0.0.1:9090\"\n", nil, []string{"server.admin_addr", "is not host:port"}},
		{"no host", "admin_addr = \":9090\"\n", nil, []string{"server.admin_addr", "has no host", "127.0.0.1:9090", "0.0.0.0:9090"}},
		{"a port out of range", "admin_addr = \"127.0.0.1:70000\"\n", nil, []string{"server.admin_addr", "between 0"}},
		{"a bad host", "admin_addr = \"bad host!:9090\"\n", nil, []string{"server.admin_addr", "not a valid host name"}},
		{"the public address", "admin_addr = \"127.0.0.1:11435\"\n", nil, []string{"server.admin_addr", "is the public address"}},
		{"the public port on every interface", "admin_addr = \"0.0.0.0:11435\"\n", nil, []string{"server.admin_addr", "is the public address"}},
		{"pprof without the admin listener", "pprof = true\nadmin_addr = \"\"\n", nil, []string{"server.pprof", "needs the admin listener"}},
		{"pprof with the admin listener turned off by env", "pprof = true\n", map[string]string{"CHORUS_ADMIN_ADDR": "off"}, []string{"server.pprof", "CHORUS_ADMIN_ADDR"}},
		{"a bad CHORUS_ADMIN_ADDR names the variable", "", map[string]string{"CHORUS_ADMIN_ADDR": "9090"}, []string{"CHORUS_ADMIN_ADDR (or --admin-addr)", `"9090"`}},
		{"the default past the last port", "port = 65535\n", nil, []string{"server.admin_addr", "65535"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// A second, unrelated problem proves admin_addr is reported
			// with the others in one pass.
			_, err := loadString(t, tomlWith(flatPlan, "[server]\nmax_body_bytes = -1\n"+tc.server), envOf(tc.env))
			ps := problemsOf(t, err)
			requireProblem(t, ps, tc.fragments...)
			requireProblem(t, ps, "server.max_body_bytes")
		})
	}
}
