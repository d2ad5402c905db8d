package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const stream = `{"config":{"protocol_version":"v1.0.0"}}
{"osv":{"id":"GO-1","summary":"called bug"}}
{"osv":{"id":"GO-2","summary":"imported only"}}
{"osv":{"id":"GO-3","summary":"called, accepted"}}
{"finding":{"osv":"GO-1","fixed_version":"v1.2.0","trace":[{"module":"example.com/m","version":"v1.1.0","package":"example.com/m","function":"F"}]}}
{"finding":{"osv":"GO-2","trace":[{"module":"example.com/n","version":"v0.1.0","package":"example.com/n"}]}}
{"finding":{"osv":"GO-3","fixed_version":"go1.26.9","trace":[{"module":"stdlib","version":"go1.26.8","package":"net/http","function":"Serve","receiver":"*Server"}]}}
`

func TestCheckFailsOnlyOnCalledUnacceptedVulnerabilities(t *testing.T) {
	accept := filepath.Join(t.TempDir(), "accepted.txt")
	tests := []struct {
		name       string
		acceptText string
		strict     bool
		wantErr    bool
		wantLines  []string
	}{
		{"nothing accepted", "", false, true, []string{"VULNERABLE  GO-1  example.com/m@v1.1.0  (fixed in v1.2.0)  called bug", "TOOLCHAIN   GO-3  net/http@go1.26.8"}},
		{"nothing accepted, strict about the standard library", "", true, true, []string{"VULNERABLE  GO-1", "VULNERABLE  GO-3  net/http@go1.26.8"}},
		{"every called ID accepted", "GO-1 # not reachable in practice\n# comment\nGO-3 # waits for the toolchain\n", false, false,
			[]string{"accepted    GO-1", "[accepted: not reachable in practice]", "2 called vulnerabilities (2 accepted, 0 in the Go toolchain's standard library), 1 more"}},
		{"the module finding accepted, the stdlib one a toolchain advisory", "GO-1 # reason\n", false, false, []string{"accepted    GO-1", "TOOLCHAIN   GO-3"}},
		{"the module finding accepted, strict about the standard library", "GO-1 # reason\n", true, true, []string{"accepted    GO-1", "VULNERABLE  GO-3"}},
		{"one of two accepted", "GO-3 # reason\n", false, true, []string{"VULNERABLE  GO-1", "accepted    GO-3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(accept, []byte(tt.acceptText), 0o644); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			args := []string{"-accept", accept}
			if tt.strict {
				args = append(args, "-strict-stdlib")
			}
			err := check(args, strings.NewReader(stream), &out)
			if tt.wantErr != errors.Is(err, errFindings) {
				t.Fatalf("check error = %v, want findings error %v\n%s", err, tt.wantErr, out.String())
			}
			for _, l := range tt.wantLines {
				if !strings.Contains(out.String(), l) {
					t.Fatalf("output lacks %q:\n%s", l, out.String())
				}
			}
			if strings.Contains(out.String(), "GO-2") {
				t.Fatalf("an uncalled vulnerability is not listed:\n%s", out.String())
			}
		})
	}
}

func TestCheckRejectsMalformedInput(t *testing.T) {
	var out bytes.Buffer
	if err := check(nil, strings.NewReader("{not json"), &out); err == nil || errors.Is(err, errFindings) {
		t.Fatalf("check error = %v, want a decode error", err)
	}
}
