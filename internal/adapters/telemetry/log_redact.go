package telemetry

import (
	"bytes"
	"io"
	"sync"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Mask replaces a secret in log output.
const Mask = "********"

// minSecretLen keeps very short values (which would match innocent text)
// out of the redaction list.
const minSecretLen = 4

// RedactingWriter is a last line of defence for log output: it replaces
// any of the current secrets in each write with Mask. Secrets can be swapped
// on a hot reload with SetSecrets.
type RedactingWriter struct {
	out     io.Writer
	mu      sync.RWMutex
	secrets [][]byte
}

// NewRedactingWriter wraps out; zerolog writes one event per Write, so a
// secret is never split across calls.
func NewRedactingWriter(out io.Writer, secrets ...domain.Secret) *RedactingWriter {
	w := &RedactingWriter{out: out}
	w.SetSecrets(secrets...)
	return w
}

// SetSecrets replaces the list of values to mask.
func (w *RedactingWriter) SetSecrets(secrets ...domain.Secret) {
	list := make([][]byte, 0, len(secrets))
	for _, s := range secrets {
		if v := s.Reveal(); len(v) >= minSecretLen {
			list = append(list, []byte(v))
		}
	}
	w.mu.Lock()
	w.secrets = list
	w.mu.Unlock()
}

// Write implements io.Writer. It reports len(p) on success so callers see
// their whole event written even when masking changed its length.
func (w *RedactingWriter) Write(p []byte) (int, error) {
	w.mu.RLock()
	out := p
	for _, s := range w.secrets {
		if bytes.Contains(out, s) {
			out = bytes.ReplaceAll(out, s, []byte(Mask))
		}
	}
	w.mu.RUnlock()
	if _, err := w.out.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
