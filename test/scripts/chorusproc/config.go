package chorusproc

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// demoConfig is a complete offline configuration: every model uses the
// built-in echo provider, so no network is needed. %d is the port.
const demoConfig = `[server]
host = "127.0.0.1"
port = %d

[[model]]
name = "echo-analyzer"
provider = "echo"

[[model]]
name = "echo-a"
provider = "echo"

[[model]]
name = "echo-b"
provider = "echo"

[[model]]
name = "echo-judge"
provider = "echo"

[workflow-integration]
json = """
{
  "analyzer":    { "ref": "echo-analyzer", "auto_temperature": true },
  "workers":     [ { "name": "echo-a" }, { "name": "echo-b", "temperature": 0.5 } ],
  "selector":    { "ref": "echo-judge" },
  "synthesizer": { "ref": "echo-judge" }
}
"""
`

// FreePort asks the kernel for a free loopback TCP port. The port is closed
// again before it is returned, so another process could take it in between;
// on loopback in a test run that is rare enough.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer func() { _ = l.Close() }()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, fmt.Errorf("free port: unexpected address %v", l.Addr())
	}
	return addr.Port, nil
}

// WriteDemoConfig writes the offline echo configuration listening on port
// into dir and returns its path.
func WriteDemoConfig(dir string, port int) (string, error) {
	path := filepath.Join(dir, "chorus-demo.toml")
	if err := os.WriteFile(path, fmt.Appendf(nil, demoConfig, port), 0o600); err != nil {
		return "", fmt.Errorf("write demo config: %w", err)
	}
	return path, nil
}
