package config

import (
	"net"
	"strings"
)

// checkHost rejects server.host values that would only fail when the server
// binds: a host:port pair, a URL, bracketed IPv6, or characters no host name
// has. The check is syntactic; whether the name resolves is left to the
// listener.
func checkHost(host string, ps *problems) {
	const key = "server.host"
	h := strings.TrimSpace(host)
	switch {
	case h == "":
		ps.addAt(key, "server.host must not be empty")
	case net.ParseIP(h) != nil:
	case strings.Contains(h, "://"):
		ps.addAt(key, "server.host %q is a URL; write only the host name or IP address (e.g. 127.0.0.1)", host)
	case strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") && net.ParseIP(h[1:len(h)-1]) != nil:
		ps.addAt(key, "server.host %q: write an IPv6 address without brackets (%s)", host, h[1:len(h)-1])
	case strings.Contains(h, ":"):
		ps.addAt(key, "server.host %q contains a port or is not a valid address; write only the host (e.g. 127.0.0.1) and set the port in server.port", host)
	case !validHostName(h):
		ps.addAt(key, "server.host %q is not a valid host name or IP address", host)
	}
}

// validHostName accepts DNS-style names: dot-separated labels of letters,
// digits, '-' and '_' (seen in container names), each 1..63 long.
func validHostName(h string) bool {
	if len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		// A label has the characters of a bare TOML key.
		if len(label) > 63 || !isBareKey(label) {
			return false
		}
	}
	return true
}
