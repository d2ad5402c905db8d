package domain

// Secret holds a credential. Its String, GoString and MarshalText forms are
// masked so that a key never reaches logs, errors or JSON by accident; only
// Reveal returns the value, and only adapters that send it upstream call it.
type Secret struct {
	value string
}

// NewSecret wraps a credential.
func NewSecret(v string) Secret { return Secret{value: v} }

// Reveal returns the raw credential.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether a non-empty credential is held.
func (s Secret) IsSet() bool { return s.value != "" }

// String implements fmt.Stringer with a mask.
func (s Secret) String() string {
	if s.value == "" {
		return ""
	}
	return "********"
}

// GoString masks %#v output too.
func (s Secret) GoString() string { return `domain.Secret("` + s.String() + `")` }

// MarshalText masks the value in every text/JSON encoding.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
