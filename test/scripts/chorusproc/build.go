package chorusproc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// modulePath identifies the repository's go.mod.
const modulePath = "module github.com/chorus-ai/chorus\n"

// RepoRoot walks up from the working directory to the directory holding the
// chorus go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("repo root: %w", err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), modulePath) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repo root: no chorus go.mod above the working directory")
		}
		dir = parent
	}
}

// TestBinEnv names a chorus binary already built from this tree (make test
// sets it to bin/chorus): Build returns it instead of linking another copy.
// Each test package links its own otherwise, and linking is what costs on a
// busy machine (about 15 s per copy on two shared cores).
const TestBinEnv = "CHORUS_TEST_BIN"

// Build compiles ./cmd/chorus of the repository at root into dir and returns
// the binary's path, or returns $CHORUS_TEST_BIN when that is set. The go
// build cache makes repeated compiles cheap; the link is not cached.
func Build(ctx context.Context, root, dir string) (string, error) {
	if bin := os.Getenv(TestBinEnv); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("%s: %w", TestBinEnv, err)
		}
		return bin, nil
	}
	bin := filepath.Join(dir, "chorus")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/chorus")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/chorus: %w\n%s", err, out)
	}
	return bin, nil
}
