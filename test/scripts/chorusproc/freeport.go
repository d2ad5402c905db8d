package chorusproc

import (
	"context"
	"fmt"
	"net"
)

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
