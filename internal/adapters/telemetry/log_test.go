package telemetry_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/telemetry"
	"github.com/chorus-ai/chorus/internal/domain"
)

func TestResolveLogLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		flag   string
		chorus string
		rust   string
		want   string
	}{
		{"the default is info", "", "", "", "info"},
		{"the flag wins over both variables", "error", "debug", "trace", "error"},
		{"CHORUS_LOG wins over RUST_LOG", "", "warn", "trace", "warn"},
		{"a plain RUST_LOG level word is used", "", "", "debug", "debug"},
		{"a RUST_LOG filter takes the chorus= level", "", "", "chorus=debug,tower_http=info", "debug"},
		{"the chorus= level beats a bare default level", "", "", "warn,chorus=trace", "trace"},
		{"a chorus module directive counts", "", "", "tower_http=debug,chorus::server=error", "error"},
		{"a bare level is used when chorus is not named", "", "", "tower_http=debug,warn", "warn"},
		{"a RUST_LOG about other crates only falls back to info", "", "", "tower_http=debug", "info"},
		{"an unreadable RUST_LOG falls back to info", "", "", "???", "info"},
		{"a CHORUS_LOG filter is read like RUST_LOG", "", "chorus=debug", "", "debug"},
		{"the original's default filter gives debug", "", "", "chorus=debug,tower_http=debug", "debug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"CHORUS_LOG": tt.chorus, "RUST_LOG": tt.rust}
			got := telemetry.ResolveLogLevel(tt.flag, func(k string) string { return env[k] })
			require.Equal(t, tt.want, got)
		})
	}
}

func TestNewLogger(t *testing.T) {
	t.Parallel()
	t.Run("JSON is the default format and the level filters", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		log, err := telemetry.NewLogger(&buf, "warn", "")
		require.NoError(t, err)
		log.Info().Msg("hidden")
		log.Warn().Str("k", "v").Msg("shown")
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		require.Len(t, lines, 1)
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[0]), &ev))
		require.Equal(t, "shown", ev["message"])
		require.Equal(t, "warn", ev["level"])
		require.Equal(t, "v", ev["k"])
		require.Contains(t, ev, "time")
	})
	t.Run("console format is human readable", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		log, err := telemetry.NewLogger(&buf, "debug", "console")
		require.NoError(t, err)
		log.Debug().Str("model", "m1").Msg("hello")
		out := buf.String()
		require.Contains(t, out, "hello")
		require.Contains(t, out, "model=m1")
		require.False(t, json.Valid([]byte(strings.TrimSpace(out))), "console output is not JSON")
	})
	t.Run("level aliases are accepted", func(t *testing.T) {
		t.Parallel()
		for in, want := range map[string]zerolog.Level{"": zerolog.InfoLevel, "WARNING": zerolog.WarnLevel, "off": zerolog.Disabled, "Trace": zerolog.TraceLevel} {
			log, err := telemetry.NewLogger(&bytes.Buffer{}, in, "json")
			require.NoError(t, err, in)
			require.Equal(t, want, log.GetLevel(), in)
		}
	})
	t.Run("an unknown level or format is an error", func(t *testing.T) {
		t.Parallel()
		_, err := telemetry.NewLogger(&bytes.Buffer{}, "loud", "json")
		require.ErrorContains(t, err, `log level "loud" is unknown`)
		_, err = telemetry.NewLogger(&bytes.Buffer{}, "info", "xml")
		require.ErrorContains(t, err, `log format "xml" is unknown`)
	})
}

func TestRedaction(t *testing.T) {
	t.Parallel()
	key := domain.NewSecret("sk-abcdef123456")
	t.Run("the redacting writer masks secrets in log lines and can swap them", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		w := telemetry.NewRedactingWriter(&buf, key, domain.NewSecret("ab"))
		log, err := telemetry.NewLogger(w, "info", "json")
		require.NoError(t, err)
		log.Info().Str("body", "echo sk-abcdef123456 (sk-abcdef123456)").Msg("upstream error: bad table")
		require.NotContains(t, buf.String(), "sk-abcdef123456")
		require.Contains(t, buf.String(), "echo ******** (********)", "every occurrence is masked")
		require.Contains(t, buf.String(), "bad table", "values shorter than 4 bytes are left alone")

		w.SetSecrets(domain.NewSecret("new-secret-9"))
		buf.Reset()
		log.Info().Msg("new-secret-9 sk-abcdef123456")
		require.NotContains(t, buf.String(), "new-secret-9")
		require.Contains(t, buf.String(), "sk-abcdef123456", "the old list was replaced")
	})
}
