// Command vulndb turns the OSV files of the golang.org/x/vulndb module
// (data/osv/*.json, as served by the Go module proxy) into the database
// layout govulncheck reads with `-db file:///abs/path`:
//
//	index/db.json       {"modified": <newest entry time>}
//	index/modules.json  [{"path": m, "vulns": [{"id", "modified", "fixed"}]}], sorted
//	ID/<id>.json        the OSV entry
//
// The layout and the "fixed" rule (the newest fix not superseded by a later
// re-introduction) follow golang.org/x/vuln v1.9.0's internal/client. The
// vulndb repository leaves every entry's "modified" at the zero time (the
// real database fills it in at deploy), so zero times are replaced by the
// commit time given with -modified.
//
// Usage:
//
//	go -C tools run ./vulndb -src <vulndb module dir>/data/osv -out <dir> -modified <RFC 3339 time>
//	govulncheck -format json ./... | go -C tools run ./vulndb check -accept FILE
//
// The check mode exits 3 when the code calls a vulnerable function whose ID
// the accept file does not list (one ID per line, '#' starts the reason).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

func main() {
	args := os.Args[1:]
	var err error
	if len(args) > 0 && args[0] == "check" {
		err = check(args[1:], os.Stdin, os.Stdout)
	} else {
		err = run(args)
	}
	if errors.Is(err, errFindings) {
		os.Exit(3)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fset := flag.NewFlagSet("vulndb", flag.ContinueOnError)
	src := fset.String("src", "", "directory holding the OSV files (<vulndb module>/data/osv)")
	out := fset.String("out", "", "output directory (created; must not already hold a database)")
	modified := fset.String("modified", "", "RFC 3339 time used where an entry's modified time is zero")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *src == "" || *out == "" {
		return errors.New("-src and -out are required")
	}
	fallback := time.Time{}
	if *modified != "" {
		t, err := time.Parse(time.RFC3339, *modified)
		if err != nil {
			return fmt.Errorf("parse -modified: %w", err)
		}
		fallback = t.UTC()
	}
	entries, err := readEntries(*src, fallback)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return fmt.Errorf("no OSV entries found in %s", *src)
	}
	return writeDB(*out, entries)
}

// entry is one OSV record: the fields the index needs, plus the raw object
// (with its modified time filled in) written back to ID/<id>.json.
type entry struct {
	ID       string
	Modified time.Time
	Affected []affected
	Raw      map[string]json.RawMessage
}

type affected struct {
	Package struct {
		Name string `json:"name"`
	} `json:"package"`
	Ranges []osvRange `json:"ranges"`
}

type osvRange struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

type event struct {
	Introduced string `json:"introduced"`
	Fixed      string `json:"fixed"`
}

func readEntries(dir string, fallback time.Time) ([]*entry, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	entries := make([]*entry, 0, len(files))
	for _, f := range files {
		e, err := readEntry(f, fallback)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func readEntry(path string, fallback time.Time) (*entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var head struct {
		ID       string     `json:"id"`
		Modified time.Time  `json:"modified"`
		Affected []affected `json:"affected"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if head.ID == "" || filepath.Base(path) != head.ID+".json" {
		return nil, fmt.Errorf("%s: OSV file name must be <id>.json (id %q)", path, head.ID)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	e := &entry{ID: head.ID, Modified: head.Modified.UTC(), Affected: head.Affected, Raw: raw}
	if e.Modified.IsZero() && !fallback.IsZero() {
		e.Modified = fallback
		for _, key := range []string{"modified", "published"} {
			if t, ok := zeroTime(raw[key]); ok && t {
				raw[key], _ = json.Marshal(fallback)
			}
		}
	}
	return e, nil
}

// zeroTime reports whether msg holds a time and whether that time is zero.
func zeroTime(msg json.RawMessage) (isZero, ok bool) {
	if msg == nil {
		return false, false
	}
	var t time.Time
	if err := json.Unmarshal(msg, &t); err != nil {
		return false, false
	}
	return t.IsZero(), true
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

func writeDB(out string, entries []*entry) error {
	if _, err := os.Stat(filepath.Join(out, "index", "modules.json")); err == nil {
		return fmt.Errorf("%s already holds a database", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("stat %s: %w", out, err)
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}
	var newest time.Time
	modules := map[string]*moduleMeta{}
	for _, e := range entries {
		if e.Modified.After(newest) {
			newest = e.Modified
		}
		for _, a := range e.Affected {
			m := modules[a.Package.Name]
			if m == nil {
				m = &moduleMeta{Path: a.Package.Name, Vulns: []moduleVuln{}}
				modules[a.Package.Name] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: nonSupersededFix(a.Ranges)})
		}
		if err := writeJSON(filepath.Join(out, "ID", e.ID+".json"), e.Raw); err != nil {
			return err
		}
	}
	list := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	if err := writeJSON(filepath.Join(out, "index", "modules.json"), list); err != nil {
		return err
	}
	return writeJSON(filepath.Join(out, "index", "db.json"), struct {
		Modified time.Time `json:"modified"`
	}{newest})
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// nonSupersededFix mirrors x/vuln's internal/semver.NonSupersededFix: the
// newest SEMVER fix, or "" when a later introduction re-opens the range.
func nonSupersededFix(ranges []osvRange) string {
	var latest string
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && less(latest, e.Fixed) {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && less(latest, e.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// less compares versions written with a "v", "go" or no prefix.
func less(a, b string) bool {
	return semver.Compare(canonical(a), canonical(b)) < 0
}

func canonical(v string) string {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "go")
	return "v" + v
}
