//go:build unix

package config_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// Reading a FIFO blocks until a writer shows up, so a FIFO (or any other
// non-regular file) given as the config must be refused before it is opened.
func TestLoad_RefusesANonRegularConfigFile(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "config.toml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	done := make(chan error, 1)
	go func() {
		_, err := config.Load(config.LoadOptions{ExplicitPath: fifo, Getenv: noEnv, HomeDir: t.TempDir()})
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		// Release the blocked open so the goroutine ends, then fail.
		if f, oerr := os.OpenFile(fifo, os.O_WRONLY, 0); oerr == nil {
			_ = f.Close()
		}
		t.Fatal("Load blocked on a FIFO config path")
	}
	var nf *config.NotFoundError
	require.ErrorAs(t, err, &nf)
	require.Contains(t, err.Error(), fifo)
	require.Contains(t, err.Error(), "not a regular file")
}
