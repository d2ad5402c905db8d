package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestNonSupersededFix(t *testing.T) {
	ev := func(intro, fixed string) event { return event{Introduced: intro, Fixed: fixed} }
	tests := []struct {
		name   string
		ranges []osvRange
		want   string
	}{
		{"the newest fix wins", []osvRange{{Type: "SEMVER", Events: []event{ev("0", ""), ev("", "1.2.3"), ev("1.3.0", ""), ev("", "1.3.4")}}}, "1.3.4"},
		{"a later re-introduction leaves no fix", []osvRange{{Type: "SEMVER", Events: []event{ev("0", ""), ev("", "1.2.3"), ev("1.5.0", "")}}}, ""},
		{"go-prefixed stdlib versions compare", []osvRange{{Type: "SEMVER", Events: []event{ev("0", ""), ev("", "1.25.9"), ev("1.26.0-0", ""), ev("", "1.26.10")}}}, "1.26.10"},
		{"non-SEMVER ranges are ignored", []osvRange{{Type: "GIT", Events: []event{ev("", "abc")}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nonSupersededFix(tt.ranges); got != tt.want {
				t.Fatalf("nonSupersededFix = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRunWritesTheGovulncheckLayout(t *testing.T) {
	src := t.TempDir()
	osv := `{"id":"GO-2099-0001","modified":"0001-01-01T00:00:00Z","published":"0001-01-01T00:00:00Z",
"details":"d","affected":[{"package":{"name":"example.com/m","ecosystem":"Go"},
"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}],"ecosystem_specific":{}}]}`
	if err := os.WriteFile(filepath.Join(src, "GO-2099-0001.json"), []byte(osv), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "db")
	if err := run([]string{"-src", src, "-out", out, "-modified", "2026-01-02T03:04:05Z"}); err != nil {
		t.Fatal(err)
	}
	var db struct{ Modified string }
	readJSON(t, filepath.Join(out, "index", "db.json"), &db)
	if db.Modified != "2026-01-02T03:04:05Z" {
		t.Fatalf("db.json modified = %q", db.Modified)
	}
	var mods []moduleMeta
	readJSON(t, filepath.Join(out, "index", "modules.json"), &mods)
	if len(mods) != 1 || mods[0].Path != "example.com/m" || len(mods[0].Vulns) != 1 ||
		mods[0].Vulns[0].ID != "GO-2099-0001" || mods[0].Vulns[0].Fixed != "1.2.0" {
		t.Fatalf("modules.json = %+v", mods)
	}
	var entry struct{ ID, Modified, Details string }
	readJSON(t, filepath.Join(out, "ID", "GO-2099-0001.json"), &entry)
	if entry.ID != "GO-2099-0001" || entry.Modified != "2026-01-02T03:04:05Z" || entry.Details != "d" {
		t.Fatalf("entry = %+v", entry)
	}
	if err := run([]string{"-src", src, "-out", out}); err == nil {
		t.Fatal("a second run into the same directory must fail")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
