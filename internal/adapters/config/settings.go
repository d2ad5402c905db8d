// Package config loads, validates, migrates and converts Chorus' TOML
// configuration (koanf) into the domain types the service runs with.
package config

import (
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Settings is the validated configuration the service runs with: plain
// server values plus domain types. It is produced once per load and is never
// mutated afterwards, so a hot reload can swap it atomically.
type Settings struct {
	// Path is the file that was loaded; empty for the embedded demo config.
	Path string
	// Demo is true when the embedded demo config was used.
	Demo     bool
	Server   Server
	Models   []domain.ModelSpec
	Workflow domain.Workflow
	// Health is the passive health policy of model deployments.
	Health domain.HealthPolicy
	Cache  Cache
	State  State
	// Upstream bounds each streamed upstream answer.
	Upstream Upstream
	// NestedWorkerDepth is the configured depth; Workflow.Root is already
	// expanded with it.
	NestedWorkerDepth int
	// Legacy is true when the file used the legacy [workflow-integration]
	// keys; it was migrated when BackupPath is set, else it will be when
	// served.
	Legacy bool
	// Warnings are non-fatal findings (only with LoadOptions.LenientEnv).
	Warnings []string
	// BackupPath is where the original file was kept when this load
	// migrated it.
	BackupPath string
}

// Server holds the [server] section.
type Server struct {
	Host string
	Port int
	// AdminAddr is the host:port of the admin listener (/metrics, and
	// /debug/pprof with Pprof); "" turns it off. Port 0 picks a free port.
	AdminAddr string
	// APIKeys enables inbound bearer auth when non-empty.
	APIKeys []domain.Secret
	// KeyLimits are the api_keys entries that carry a rate limit.
	KeyLimits []domain.KeyLimit
	// MaxBodyBytes limits request bodies (default 10 MiB).
	MaxBodyBytes int64
	// ShutdownTimeout bounds the graceful drain (default 30 s).
	ShutdownTimeout time.Duration
	// KeepAliveInterval is how often streams send a keep-alive while the
	// workflow's early stages run (default 5 s; must stay under 10 s).
	KeepAliveInterval time.Duration
	// Pprof mounts /debug/pprof on the admin listener when true (off by
	// default); never on the public port.
	Pprof bool
	// Conn bounds slow and idle client connections.
	Conn ConnLimits
	// UI serves the playground page at /ui (on by default).
	UI bool
	// CORSOrigins are the browser origins allowed to call Chorus ("*":
	// any); empty (the default) allows none.
	CORSOrigins []string
}
