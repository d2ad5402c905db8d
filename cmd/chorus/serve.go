package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/adapters/telemetry"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/internal/domain"
)

// runServe loads the configuration (migrating a legacy file), builds the
// logger and runs the server until ctx ends.
func runServe(ctx context.Context, inv invocation, e env) int {
	redact := telemetry.NewRedactingWriter(e.stdout)
	log, err := newLogger(inv, e, redact)
	if err != nil {
		fmt.Fprintln(e.stderr, "chorus:", err)
		return exitUsage
	}
	opts := inv.loadOptions(e)
	opts.Logger = log
	opts.AllowMigrate = true
	// load serves both the start and every reload. While a reloaded
	// configuration is being built, the redactor masks the running one's
	// credentials and the candidate's; settle keeps only those that run.
	var running, candidate []domain.Secret
	load := func(context.Context) (*config.Settings, error) {
		s, err := config.Load(opts)
		if err != nil {
			return nil, err
		}
		candidate = secretsOf(s)
		redact.SetSecrets(append(append([]domain.Secret(nil), running...), candidate...)...)
		return s, nil
	}
	settle := func(err error) {
		if err == nil {
			running = candidate
		}
		redact.SetSecrets(running...)
	}
	settings, err := load(ctx)
	if err != nil {
		return configExitCode(err, e.stderr)
	}
	settle(nil)
	logStartup(log, settings)
	err = bootstrap.Serve(ctx, bootstrap.Options{Settings: settings, Logger: log, Reload: load, OnReload: settle, Version: version, Getenv: e.getenv})
	if err != nil {
		log.Error().Err(err).Msg("chorus stopped with an error")
		var inUse *bootstrap.AddrInUseError
		if errors.As(err, &inUse) {
			fmt.Fprintln(e.stderr, "chorus:", err) // the hint must reach a person, not only the JSON log
		}
		return exitFailure
	}
	return exitOK
}

func newLogger(inv invocation, e env, w io.Writer) (zerolog.Logger, error) {
	level := telemetry.ResolveLogLevel(inv.logLevel, e.getenv)
	return telemetry.NewLogger(w, level, inv.logFormat)
}

// secretsOf lists every credential of the settings for the log redactor.
func secretsOf(s *config.Settings) []domain.Secret {
	out := append([]domain.Secret(nil), s.Server.APIKeys...)
	for _, m := range s.Models {
		out = append(out, m.APIKey)
	}
	return out
}

// logStartup writes the original's startup lines (no keys, ever).
func logStartup(log zerolog.Logger, s *config.Settings) {
	src := s.Path
	if s.Demo {
		src = "embedded demo config (echo provider)"
	}
	log.Info().Str("config", src).Str("version", version).Msg("loading config")
	for _, w := range s.Warnings {
		log.Warn().Str("config", src).Msg(w)
	}
	if s.BackupPath != "" {
		log.Info().Str("backup", s.BackupPath).Msg("legacy config migrated; original kept")
	}
	root := s.Workflow.Root
	labels := make([]string, 0, len(root.Workers))
	for _, w := range root.Workers {
		labels = append(labels, w.Label())
	}
	log.Info().Str("addr", fmt.Sprintf("%s:%d", s.Server.Host, s.Server.Port)).Msg("starting chorus server")
	logAuth(log, s.Server.APIKeys)
	log.Info().Str("analyzer", root.Analyzer.Model).Msg("analyzer model")
	log.Info().Strs("workers", labels).Int("worker_calls", config.WorkerCalls(root)).
		Int("nested_worker_depth", s.NestedWorkerDepth).Msg("worker nodes")
	switch {
	case root.Synthesizer != nil:
		log.Info().Str("synthesizer", root.Synthesizer.Model).Str("mode", string(s.Workflow.Mode)).Msg("synthesizer model")
	case root.Selector != nil:
		log.Info().Str("selector", root.Selector.Model).Msg("no synthesizer configured; using selector")
	}
	if root.Selector != nil && root.Synthesizer != nil {
		log.Info().Str("selector", root.Selector.Model).Msg("selector model")
	}
}

// logAuth says whether inbound bearer auth is on and with how many keys
// (never the keys), so an operator sees at once that a deployment is open.
func logAuth(log zerolog.Logger, keys []domain.Secret) {
	ev := log.Info().Bool("inbound_auth", len(keys) > 0).Int("api_keys", len(keys))
	if len(keys) == 0 {
		ev.Msg("inbound auth is off: no [server] api_keys or CHORUS_API_KEYS, every route is open to whoever can reach the port")
		return
	}
	ev.Msg("inbound auth is on: requests need Authorization: Bearer <key>")
}
