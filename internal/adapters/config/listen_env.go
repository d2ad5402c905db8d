package config

import (
	"strconv"
	"strings"
)

// Environment variables that override [server] host and port of any
// configuration, the embedded demo's included (the command's --host and
// --port flags set them, so a flag wins over the variable).
const (
	EnvHost = "CHORUS_HOST"
	EnvPort = "CHORUS_PORT"
)

// listenFromEnv applies CHORUS_HOST and CHORUS_PORT over the file's values,
// before validation, so an override is checked like the file's own keys.
func listenFromEnv(s *rawServer, env envLookup, ps *problems) {
	if h, _ := env(EnvHost); strings.TrimSpace(h) != "" {
		s.Host = strings.TrimSpace(h)
	}
	p, _ := env(EnvPort)
	p = strings.TrimSpace(p)
	if p == "" {
		return
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		ps.addAt("server.port", "%s (or --port) must be a port number between 1 and 65535, got %q", EnvPort, p)
		return
	}
	s.Port = n
}
