package config

import (
	"net"
	"strconv"
	"strings"
)

// The admin listener serves what must not be on the public port: /metrics
// (unauthenticated, as scrapers carry no key), /debug/pprof when
// [server] pprof is on, and copies of the health probes.
const (
	// EnvAdminAddr overrides [server] admin_addr of any configuration, the
	// demo's included (the --admin-addr flag sets it); "off" turns the
	// admin listener off, as "" does in the file.
	EnvAdminAddr = "CHORUS_ADMIN_ADDR"
	// DefaultAdminHost is where the admin listener binds when admin_addr is
	// not set: loopback, so metrics and profiles never leave the machine
	// unless an operator says so.
	DefaultAdminHost = "127.0.0.1"
	// adminOff is the word that turns the admin listener off from the
	// environment or the command line, where an empty value means "unset".
	adminOff = "off"
)

// adminAddrFromEnv applies CHORUS_ADMIN_ADDR over the file's admin_addr; an
// empty variable is unset, as CHORUS_HOST and CHORUS_PORT are.
func adminAddrFromEnv(s *rawServer, env envLookup) bool {
	v, _ := env(EnvAdminAddr)
	if v = strings.TrimSpace(v); v == "" {
		return false
	}
	s.AdminAddr = &v
	return true
}

// toAdminAddr validates [server] admin_addr and returns the address the
// admin listener binds, "" when it is off. Unset, it is loopback on the port
// after server.port (11436 by default): a second Chorus moved with --port N
// gets its own admin port N+1 instead of failing on the first one's.
func toAdminAddr(s rawServer, fromEnv bool, ps *problems) string {
	const key = "server.admin_addr"
	label := key
	if fromEnv {
		label = EnvAdminAddr + " (or --admin-addr)"
	}
	if s.AdminAddr == nil {
		if s.Port < 1 || s.Port > 65535 {
			return "" // server.port is reported already
		}
		if s.Port == 65535 {
			ps.addAt(key, "server.admin_addr defaults to %s and the port after server.port, but server.port is 65535; set server.admin_addr (or \"\" to turn the admin listener off)", DefaultAdminHost)
			return ""
		}
		return net.JoinHostPort(DefaultAdminHost, strconv.Itoa(s.Port+1))
	}
	v := strings.TrimSpace(*s.AdminAddr)
	if v == "" || strings.EqualFold(v, adminOff) {
		if s.Pprof {
			ps.addAt("server.pprof", "server.pprof = true needs the admin listener, which %s turns off; pprof is never served on the public port", label)
		}
		return ""
	}
	host, port, err := net.SplitHostPort(v)
	n, perr := strconv.Atoi(port)
	switch {
	case err != nil || perr != nil:
		ps.addAt(key, "%s %q is not host:port (e.g. %s:11436, or \"\" to turn the admin listener off)", label, v, DefaultAdminHost)
		return ""
	case n < 0 || n > 65535:
		ps.addAt(key, "%s %q: the port must be between 0 (any free port) and 65535", label, v)
		return ""
	case host == "":
		ps.addAt(key, "%s %q has no host; write it out: %s:%d (this machine only) or 0.0.0.0:%d (every interface)", label, v, DefaultAdminHost, n, n)
		return ""
	case net.ParseIP(host) == nil && !validHostName(host):
		ps.addAt(key, "%s %q: %q is not a valid host name or IP address", label, v, host)
		return ""
	case n != 0 && n == s.Port && sameListenHost(host, s.Host):
		ps.addAt(key, "%s %q is the public address (server.host and server.port); give the admin listener its own port", label, v)
		return ""
	}
	return v
}

// sameListenHost reports whether listeners on a and b would share a port:
// the same host, or either one every interface.
func sameListenHost(a, b string) bool {
	unspecified := func(h string) bool { ip := net.ParseIP(h); return ip != nil && ip.IsUnspecified() }
	return strings.EqualFold(a, b) || unspecified(a) || unspecified(b)
}
