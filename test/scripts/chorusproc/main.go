package chorusproc

import (
	"context"
	"fmt"
	"os"
	"time"
)

// setupTimeout bounds building the binary and starting the server.
const setupTimeout = 3 * time.Minute

// Runner runs a package's tests; *testing.M is one.
type Runner interface {
	Run() int
}

// Env is what the tests of a package share: the repository, the built
// binary and the server running it.
type Env struct {
	// Root is the repository root (the directory holding go.mod).
	Root string
	// Bin is the path of the built chorus binary; empty when not built.
	Bin string
	// Server is the running demo server; nil when not served.
	Server *Server
}

// Main is the body of a TestMain whose tests share one chorus server. It
// fills env.Root, and when serve is true builds ./cmd/chorus into a
// temporary directory and starts it as the README tells a newcomer to run a
// second demo, `chorus --demo --port N` on a free port (env.Bin,
// env.Server); then it runs m and stops the server. Failures are printed to
// stderr; the result is the exit code for os.Exit (1 when setup or an
// unclean stop failed, m's code otherwise).
func Main(m Runner, env *Env, serve bool) int {
	if !serve {
		return withRoot(m, env)
	}
	return withBinary(m, env, func(ctx context.Context) int {
		var err error
		if env.Server, err = StartDemo(ctx, env.Bin); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		code := m.Run()
		if err := env.Server.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "%v\nserver output:\n%s\n", err, env.Server.Output())
			return 1
		}
		return code
	})
}

// MainBuilt is the body of a TestMain whose tests start chorus processes
// of their own: it fills env.Root and env.Bin (built into a temporary
// directory removed afterwards), then runs m.
func MainBuilt(m Runner, env *Env) int {
	return withBinary(m, env, func(context.Context) int { return m.Run() })
}

// withRoot fills env.Root, then runs m.
func withRoot(m Runner, env *Env) int {
	var err error
	if env.Root, err = RepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// withBinary fills env.Root and env.Bin (built into a temporary directory
// removed afterwards), then runs body with the set-up context.
func withBinary(m Runner, env *Env, body func(ctx context.Context) int) int {
	var err error
	if env.Root, err = RepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "chorusproc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if env.Bin, err = Build(ctx, env.Root, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return body(ctx)
}
