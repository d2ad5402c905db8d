// Package telemetry sets up Chorus' observability: the zerolog logger (with
// a redacting writer) and the OpenTelemetry tracer and metrics providers.
package telemetry

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
)

// Log formats accepted by NewLogger.
const (
	LogFormatJSON    = "json"
	LogFormatConsole = "console"
)

// DefaultLogLevel is used when no flag or environment variable sets one.
const DefaultLogLevel = "info"

// NewLogger builds the process logger: JSON lines by default, a
// human-readable console format on request, at the given level ("" means
// info; "warning" and "off" are accepted as aliases). It never touches
// zerolog's globals, so tests can build several loggers side by side.
func NewLogger(w io.Writer, level, format string) (zerolog.Logger, error) {
	lvl, err := ParseLevel(level)
	if err != nil {
		return zerolog.Nop(), err
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", LogFormatJSON:
	case LogFormatConsole, "text", "pretty":
		w = zerolog.ConsoleWriter{Out: w, NoColor: !isTerminal(w), TimeFormat: time.RFC3339}
	default:
		return zerolog.Nop(), fmt.Errorf("log format %q is unknown; use json or console", format)
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}

// ParseLevel turns a level word (trace, debug, info, warn, error, fatal,
// panic, off/disabled) into a zerolog level; "" means info.
func ParseLevel(level string) (zerolog.Level, error) {
	switch l := strings.ToLower(strings.TrimSpace(level)); l {
	case "":
		return zerolog.InfoLevel, nil
	case "warning":
		return zerolog.WarnLevel, nil
	case "off", "none", "disabled":
		return zerolog.Disabled, nil
	case "trace", "debug", "info", "warn", "error", "fatal", "panic":
		return zerolog.ParseLevel(l)
	}
	return zerolog.NoLevel, fmt.Errorf("log level %q is unknown; use trace, debug, info, warn, error or off", level)
}

// ResolveLogLevel picks the level: the --log-level flag, else CHORUS_LOG,
// else RUST_LOG (kept for the original's scripts), else info. RUST_LOG may be
// a plain level word or a tracing filter such as
// "chorus=debug,tower_http=info", whose chorus= directive wins; a RUST_LOG
// Chorus cannot read falls back to info, as the original ignored an invalid
// filter.
func ResolveLogLevel(flag string, getenv func(string) string) string {
	if f := strings.TrimSpace(flag); f != "" {
		return f
	}
	if v := strings.TrimSpace(getenv("CHORUS_LOG")); v != "" {
		if lvl, ok := levelFromFilter(v); ok {
			return lvl
		}
		return v
	}
	if lvl, ok := levelFromFilter(getenv("RUST_LOG")); ok {
		return lvl
	}
	return DefaultLogLevel
}

// levelFromFilter reads a tracing-subscriber EnvFilter: comma-separated
// directives, each "level" or "target=level". The chorus target (or one of
// its modules, chorus::server) wins over a bare default level.
func levelFromFilter(filter string) (string, bool) {
	var bare, chorus string
	for d := range strings.SplitSeq(filter, ",") {
		d = strings.TrimSpace(d)
		target, lvl, hasTarget := strings.Cut(d, "=")
		switch {
		case !hasTarget && validLevel(d):
			bare = strings.ToLower(d)
		case hasTarget && (target == "chorus" || strings.HasPrefix(target, "chorus::")) && validLevel(lvl):
			if chorus == "" || target == "chorus" {
				chorus = strings.ToLower(strings.TrimSpace(lvl))
			}
		}
	}
	if chorus != "" {
		return chorus, true
	}
	return bare, bare != ""
}

func validLevel(s string) bool {
	_, err := ParseLevel(s)
	return strings.TrimSpace(s) != "" && err == nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
