package config

import _ "embed"

// demoConfig is the configuration --demo runs: every model uses the
// built-in offline echo provider, so every endpoint works without keys.
//
//go:embed demo.toml
var demoConfig []byte

// DemoConfig returns a copy of the embedded demo configuration's TOML.
func DemoConfig() []byte { return append([]byte(nil), demoConfig...) }
