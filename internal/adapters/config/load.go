package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"
)

// EnvConfigPath names the environment variable that points at the config file.
const EnvConfigPath = "CHORUS_CONFIG"

// LoadOptions say where the configuration comes from and what Load may do.
type LoadOptions struct {
	// ExplicitPath is the --config/-c value; it wins over everything else.
	ExplicitPath string
	// Getenv reads the environment (CHORUS_CONFIG, CHORUS_API_KEYS and the
	// ${NAME} references of api_key); nil means os.Getenv.
	Getenv func(string) string
	// LookupEnv, when set, is used instead of Getenv for the ${NAME}
	// references so a variable set to "" is reported as empty rather than
	// unset; nil derives it from Getenv (or uses os.LookupEnv when Getenv is
	// nil too).
	LookupEnv func(string) (string, bool)
	// HomeDir holds .config/chorus/config.toml; empty means os.UserHomeDir.
	HomeDir string
	// Demo loads the embedded demo config (echo provider, no network).
	Demo bool
	// Logger receives migration notices; the zero value discards them.
	Logger zerolog.Logger
	// AllowMigrate lets Load rewrite a legacy file in place (the server
	// does; `chorus validate` does not).
	AllowMigrate bool
	// LenientEnv reports api_key ${NAME} references whose variable is unset
	// as Settings.Warnings instead of problems, so `chorus validate` can
	// check a file on a machine that does not hold its secrets.
	LenientEnv bool
}

// Load finds, parses, validates and converts the configuration. Problems
// with the file's content come back together as a *ValidationError; a
// missing file as a *NotFoundError; no file at all as ErrNoConfig.
func Load(opts LoadOptions) (*Settings, error) {
	env := lookupOf(opts)
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	src, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	if src.demo {
		s, err := loadBytes("", demoConfig, env, opts.LenientEnv)
		if err != nil {
			return nil, fmt.Errorf("config: embedded demo config: %w", err)
		}
		s.Demo = true
		return s, nil
	}
	return loadFile(src.path, env, opts)
}

func loadFile(path string, env envLookup, opts LoadOptions) (*Settings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	s, err := loadBytes(path, data, env, opts.LenientEnv)
	if err != nil || !s.Legacy || !opts.AllowMigrate {
		return s, err
	}
	// The legacy file is valid: rewrite it so the next start reads the
	// current form, then go on with the settings already built.
	backup := backupPath(path, time.Now())
	out, _, err := migrateBytes(path, data, backup, false)
	if err != nil {
		return nil, fmt.Errorf("config: migrate %s: %w", path, err)
	}
	if err := writeMigration(path, data, out, backup); err != nil {
		// A read-only mount (a Kubernetes ConfigMap, say) must not stop the
		// server: the settings are valid, only the rewrite failed.
		opts.Logger.Warn().Err(err).Str("config", path).
			Msg("legacy config is valid but could not be rewritten; run `chorus migrate` where the file is writable")
		return s, nil
	}
	opts.Logger.Info().Str("config", path).Str("backup", backup).
		Msg("migrated legacy workflow-integration format to workflow plan JSON")
	s.BackupPath = backup
	return s, nil
}

// loadBytes runs the whole pipeline on one document. Every check runs even
// when an earlier one found problems (only a TOML syntax error stops the
// pipeline), so unknown keys, type errors, bad values and workflow
// references come back together in one *ValidationError.
func loadBytes(path string, data []byte, env envLookup, lenientEnv bool) (*Settings, error) {
	d, err := parseDocument(path, data)
	if err != nil {
		return nil, err
	}
	ps := d.shape
	ps.lenientEnv = lenientEnv
	raw, err := d.decode()
	if err != nil {
		if perr := ps.err(); perr != nil {
			return nil, perr
		}
		return nil, err
	}
	legacy := d.isLegacy()
	if legacy {
		js, ok := legacyPlan(d, raw.Integration, ps)
		raw.Integration.JSON = js
		raw.Integration.legacyFailed = !ok
	}
	s := toSettings(raw, env, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	s.Legacy = legacy
	s.Warnings = ps.warnings
	return s, nil
}

// source is the resolved origin of the configuration.
type source struct {
	path string
	demo bool
}

// resolve applies the precedence --config > CHORUS_CONFIG > ~/.config/chorus/config.toml.
func resolve(opts LoadOptions) (source, error) {
	if opts.Demo {
		if opts.ExplicitPath != "" {
			return source{}, ErrDemoWithConfig
		}
		return source{demo: true}, nil
	}
	if opts.ExplicitPath != "" {
		return source{path: opts.ExplicitPath}, mustExist(opts.ExplicitPath, "--config")
	}
	if p := opts.Getenv(EnvConfigPath); p != "" {
		return source{path: p}, mustExist(p, EnvConfigPath)
	}
	home := opts.HomeDir
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return source{}, &NoConfigError{Looked: []string{"$HOME/.config/chorus/config.toml (HOME is not set)"}}
		}
		home = h
	}
	def := DefaultPath(home)
	if _, err := os.Stat(def); err != nil {
		return source{}, &NoConfigError{Looked: []string{
			"--config (not given)", EnvConfigPath + " (not set)", def + " (does not exist)",
		}}
	}
	return source{path: def}, mustExist(def, "the default location")
}

// DefaultPath is the configuration file used when neither --config nor
// CHORUS_CONFIG is given.
func DefaultPath(home string) string {
	return filepath.Join(home, ".config", "chorus", "config.toml")
}

// mustExist accepts only a regular file (symlinks followed, as Kubernetes
// ConfigMap mounts use them): reading a FIFO or a device would block start-up
// or a reload until something writes to it.
func mustExist(path, from string) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return &NotFoundError{Path: path, From: from, Err: err}
	case st.IsDir():
		return &NotFoundError{Path: path, From: from, Err: fs.ErrInvalid}
	case !st.Mode().IsRegular():
		return &NotFoundError{Path: path, From: from, Err: errNotRegular}
	}
	return nil
}

// errNotRegular marks a config path that names a FIFO, socket or device.
var errNotRegular = errors.New("not a regular file")

// ErrNoConfig is matched (errors.Is) by the error Load returns when no
// configuration file exists anywhere it looks.
var ErrNoConfig = errors.New("no configuration file found")

// ErrDemoWithConfig rejects --demo together with --config.
var ErrDemoWithConfig = errors.New("--demo and --config are mutually exclusive: --demo runs the embedded config")

// NoConfigError lists where Load looked and how to start.
type NoConfigError struct {
	Looked []string
}

// Error implements error with the places looked at and the two ways to start.
func (e *NoConfigError) Error() string {
	msg := "no configuration file found; looked at:\n"
	for _, l := range e.Looked {
		msg += "  - " + l + "\n"
	}
	return msg + "to start, copy the example and edit it:\n" +
		"  mkdir -p ~/.config/chorus && cp configs/config-example.toml ~/.config/chorus/config.toml\n" +
		"or try the built-in offline demo: chorus --demo"
}

// Is makes errors.Is(err, ErrNoConfig) true.
func (e *NoConfigError) Is(target error) bool { return target == ErrNoConfig }

// NotFoundError is returned when a path given by --config or CHORUS_CONFIG
// cannot be used.
type NotFoundError struct {
	Path string
	From string // "--config" or "CHORUS_CONFIG"
	Err  error
}

// Error implements error, naming the path and where it came from.
func (e *NotFoundError) Error() string {
	if errors.Is(e.Err, fs.ErrInvalid) {
		return fmt.Sprintf("config file %s (from %s) is a directory, not a file", e.Path, e.From)
	}
	if errors.Is(e.Err, errNotRegular) {
		return fmt.Sprintf("config file %s (from %s) is not a regular file (a FIFO, socket or device); give the path of a TOML file", e.Path, e.From)
	}
	if errors.Is(e.Err, fs.ErrNotExist) {
		return fmt.Sprintf("config file %s (from %s) does not exist", e.Path, e.From)
	}
	return fmt.Sprintf("config file %s (from %s) cannot be used: %v", e.Path, e.From, e.Err)
}

// Unwrap returns the underlying fs error.
func (e *NotFoundError) Unwrap() error { return e.Err }

// ResolvePath returns the configuration file Load would read with opts
// (without reading it), applying the same precedence and errors. It is an
// error to ask for the path of the embedded demo config.
func ResolvePath(opts LoadOptions) (string, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Demo {
		return "", errors.New("config: the embedded demo config has no file path")
	}
	src, err := resolve(opts)
	return src.path, err
}
