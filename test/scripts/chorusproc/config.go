package chorusproc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// demoPortLine is the [server] port line of the embedded demo config.
const demoPortLine = "port = 11435"

// FreePort asks the kernel for a free loopback TCP port. The port is closed
// again before it is returned, so another process could take it in between;
// on loopback in a test run that is rare enough.
func FreePort(ctx context.Context) (int, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
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

// WriteDemoConfig writes the embedded demo configuration (what `chorus
// --demo` runs: offline echo models), listening on port instead of 11435,
// into dir and returns its path.
func WriteDemoConfig(dir string, port int) (string, error) {
	demo := config.DemoConfig()
	if !bytes.Contains(demo, []byte(demoPortLine)) {
		return "", errors.New("write demo config: the embedded demo config has no " + demoPortLine + " line")
	}
	demo = bytes.Replace(demo, []byte(demoPortLine), []byte("port = "+strconv.Itoa(port)), 1)
	path := filepath.Join(dir, "chorus-demo.toml")
	if err := os.WriteFile(path, demo, 0o600); err != nil {
		return "", fmt.Errorf("write demo config: %w", err)
	}
	return path, nil
}
