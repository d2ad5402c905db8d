package config

import (
	"testing"
)

// FuzzLoadTOML feeds arbitrary bytes through the whole load pipeline and the
// in-memory migration: they may reject the input but must never panic.
func FuzzLoadTOML(f *testing.F) {
	f.Add(demoConfig)
	f.Add([]byte("[server]\nport = \"abc\"\n"))
	f.Add([]byte("[workflow-integration]\nanalyzer_model = \"a\"\nworker_models = [\"a\"]\nsynthesizer_model = \"a\"\n[[model]]\nname = \"a\"\nprovider = \"echo\"\n"))
	f.Add([]byte("workflow-integration = '{\"analyzer\":{\"ref\":\"a\"},\"workers\":[{\"analyzer\":{\"ref\":\"a\"},\"workers\":[1]}]}'\n"))
	env := func(string) (string, bool) { return "x", true }
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := loadBytes("fuzz.toml", data, env, false)
		if err == nil && s == nil {
			t.Fatal("nil settings without an error")
		}
		out, migrated, err := migrateBytes("fuzz.toml", data, "fuzz.toml.bak", false)
		if err == nil && migrated {
			// What migration writes must be a file Chorus can parse again.
			d, err := parseDocument("migrated.toml", out)
			if err == nil {
				err = d.shape.err()
			}
			if err != nil {
				t.Fatalf("migrated output does not parse: %v\n%s", err, out)
			}
		}
	})
}
