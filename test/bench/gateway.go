package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// GatewayOptions start the binary under test.
type GatewayOptions struct {
	// Binary is the chorus executable.
	Binary string
	// Config is the TOML written to a file passed with --config.
	Config string
	// Port is the [server] port written in Config.
	Port int
	// AdminPort is the [server] admin_addr port on 127.0.0.1 written in
	// Config (0: off).
	AdminPort int
	// Dir receives the config file and the gateway's log.
	Dir string
	// Args are extra command-line arguments (e.g. --log-level info).
	Args []string
	Pin  Pinning
}

// Gateway is a running chorus process.
type Gateway struct {
	// URL is the base URL ("http://127.0.0.1:P").
	URL string
	// AdminURL is the admin listener's base URL (/debug/pprof); empty when
	// it is off.
	AdminURL string
	Pid      int
	LogPath  string
	cmd      *exec.Cmd
	exited   chan error
}

// StartGateway writes the config, starts the binary (pinned when enabled)
// and waits until GET /readyz answers 200.
func StartGateway(ctx context.Context, o GatewayOptions) (*Gateway, error) {
	cfg := filepath.Join(o.Dir, "chorus-bench.toml")
	if err := os.WriteFile(cfg, []byte(o.Config), 0o600); err != nil {
		return nil, fmt.Errorf("write gateway config: %w", err)
	}
	logPath := filepath.Join(o.Dir, "chorus-bench.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open gateway log: %w", err)
	}
	defer logFile.Close()
	argv := o.Pin.command(o.Binary, append([]string{"--config", cfg}, o.Args...)...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), "CHORUS_CONFIG="+cfg)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", o.Binary, err)
	}
	g := &Gateway{
		URL:      "http://127.0.0.1:" + strconv.Itoa(o.Port),
		AdminURL: adminURL(o.AdminPort),
		Pid:      cmd.Process.Pid, // taskset execs the binary: same pid
		LogPath:  logPath,
		cmd:      cmd,
		exited:   make(chan error, 1),
	}
	go func() { g.exited <- cmd.Wait() }()
	if err := g.waitReady(ctx, 20*time.Second); err != nil {
		_ = g.Stop()
		return nil, err
	}
	return g, nil
}

func adminURL(port int) string {
	if port == 0 {
		return ""
	}
	return "http://127.0.0.1:" + strconv.Itoa(port)
}

func (g *Gateway) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.URL+"/readyz", nil)
		if err != nil {
			return fmt.Errorf("build readyz request: %w", err)
		}
		if resp, err := client.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-g.exited:
			g.exited <- err
			return fmt.Errorf("gateway exited before it was ready; log: %s: %w", g.LogPath, exitErr(err))
		case <-ctx.Done():
			return fmt.Errorf("gateway not ready after %s; log: %s: %w", limit, g.LogPath, ctx.Err())
		case <-tick.C:
		}
	}
}

// CPU returns the gateway's CPU time so far.
func (g *Gateway) CPU() (time.Duration, error) { return ProcCPU(g.Pid) }

// PeakRSS returns the gateway's peak resident set size so far, in bytes.
func (g *Gateway) PeakRSS() (int64, error) { return PeakRSS(g.Pid) }

// Stop sends SIGTERM, waits up to 10 s for a graceful exit, then kills. It
// returns how the process ended.
func (g *Gateway) Stop() error {
	_ = g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-g.exited:
		return err
	case <-time.After(10 * time.Second):
		_ = g.cmd.Process.Kill()
		return <-g.exited
	}
}

// exitErr names a clean exit, which Wait reports as nil.
func exitErr(err error) error {
	if err == nil {
		return errors.New("exit status 0")
	}
	return err
}

// Exited reports whether the gateway process has ended (a crash mid-run).
func (g *Gateway) Exited() error {
	select {
	case err := <-g.exited:
		g.exited <- err
		return exitErr(err)
	default:
		return nil
	}
}
