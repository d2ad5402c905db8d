package chorusproc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// readyTimeout bounds how long Start waits for /readyz.
const readyTimeout = 20 * time.Second

// Server is a running chorus process.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:43117 (no trailing slash).
	URL string
	// AdminURL is the admin listener's base URL (/metrics), on a free port
	// of its own so parallel servers never meet on the default port.
	AdminURL string
	cmd      *exec.Cmd
	out      *lockedBuffer
	done     chan error
}

// StartConfig runs `bin --config cfg` for a config that serves on
// 127.0.0.1:port, with the admin listener on another free port, and waits
// until /readyz answers 200.
func StartConfig(ctx context.Context, bin, cfg string, port int) (*Server, error) {
	return startArgs(ctx, bin, port, "--config", cfg)
}

// StartDemo runs `bin --demo --port <a free port>` exactly as a user starts
// the demo (the embedded config, moved by the flag) and waits until /readyz
// answers 200.
func StartDemo(ctx context.Context, bin string) (*Server, error) {
	port, err := FreePort(ctx)
	if err != nil {
		return nil, err
	}
	return startArgs(ctx, bin, port, "--demo", "--port", strconv.Itoa(port))
}

// startArgs runs bin with args (which make it serve on 127.0.0.1:port), with
// the admin listener on another free port, and waits until /readyz answers
// 200.
func startArgs(ctx context.Context, bin string, port int, args ...string) (*Server, error) {
	adminPort, err := FreePort(ctx)
	if err != nil {
		return nil, err
	}
	admin := "127.0.0.1:" + strconv.Itoa(adminPort)
	out := &lockedBuffer{}
	// The process outlives ctx (which bounds only the start-up); Stop ends it.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), bin, append(args, "--log-level", "warn", "--admin-addr", admin)...)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.Env = append(os.Environ(), "OTEL_TRACES_EXPORTER=none", "OTEL_EXPORTER_OTLP_ENDPOINT=")
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), AdminURL: "http://" + admin, cmd: cmd, out: out, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		return nil, fmt.Errorf("%w\nserver output:\n%s", err, out.String())
	}
	return s, nil
}

// waitReady polls /readyz until it answers 200, the process exits, or the
// deadline passes.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/readyz", nil)
		if err != nil {
			return fmt.Errorf("readyz request: %w", err)
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("chorus exited before it was ready: %w", err)
		case <-ctx.Done():
			return fmt.Errorf("chorus not ready at %s/readyz: %w", s.URL, ctx.Err())
		case <-tick.C:
		}
	}
}

// PID is the process id (for /proc measurements).
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Output returns everything the process wrote so far.
func (s *Server) Output() string { return s.out.String() }

// Stop sends an interrupt, waits for a graceful exit (killing the process
// after 10 s) and reports an unclean exit.
func (s *Server) Stop() error {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-s.done:
		s.done <- err
		return exitErr(err)
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		err := <-s.done
		s.done <- err
		return errors.New("chorus did not stop within 10s of an interrupt")
	}
}

// exitErr treats a clean exit as success.
func exitErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("chorus exited: %w", err)
}

// lockedBuffer is a bytes.Buffer safe for the process' writer goroutines
// and concurrent readers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
