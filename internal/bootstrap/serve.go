// Package bootstrap wires Chorus' adapters and use cases together and runs
// the HTTP server; cmd/chorus and the black-box tests in test/ share it so the
// wiring cannot drift.
package bootstrap

import (
	"context"
	"errors"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// Options are what Serve needs from the command line.
type Options struct {
	Settings *config.Settings
	Logger   zerolog.Logger
	// Reload loads the configuration again (SIGHUP); nil disables hot reload.
	Reload func(ctx context.Context) (*config.Settings, error)
	// Version is the build version reported by /api/version metadata and logs.
	Version string
}

// Serve runs the server until ctx is canceled, then drains gracefully.
func Serve(ctx context.Context, opts Options) error {
	_ = ctx
	_ = opts
	return errors.New("serve: not wired yet")
}
