package domain

// KeyLimit is one inbound API key with its optional budgets; zero means
// unlimited.
type KeyLimit struct {
	Key               Secret
	RequestsPerMinute int
	TokensPerMinute   int
}

// Limited reports whether the key has any budget to enforce.
func (k KeyLimit) Limited() bool { return k.RequestsPerMinute > 0 || k.TokensPerMinute > 0 }
