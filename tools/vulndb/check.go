package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// errFindings means govulncheck found vulnerabilities that the code calls
// and that are not accepted.
var errFindings = errors.New("vulnerable code is reachable")

// check reads `govulncheck -format json` from stdin and fails on every
// symbol-level finding (the code calls a vulnerable function) whose ID is
// not listed in the accept file. Package- and module-level findings (code
// that is imported or required but not called) are summarised only.
func check(args []string, in io.Reader, out io.Writer) error {
	fset := flag.NewFlagSet("vulndb check", flag.ContinueOnError)
	acceptPath := fset.String("accept", "", "file of accepted IDs: one per line, '#' starts a comment")
	strictStdlib := fset.Bool("strict-stdlib", false, "fail on standard-library findings too (by default they are reported as toolchain advisories)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	accepted, err := readAccept(*acceptPath)
	if err != nil {
		return err
	}
	rep, err := readReport(in)
	if err != nil {
		return err
	}
	var failed, allowed, toolchain []string
	for _, id := range rep.called() {
		line := rep.describe(id)
		switch _, ok := accepted[id]; {
		case ok:
			allowed = append(allowed, line+"  [accepted: "+accepted[id]+"]")
		case !*strictStdlib && rep.inStdlib(id):
			// The fix is a newer Go toolchain, which is the machine's, not
			// the module's: report it loudly, fail only in strict mode.
			toolchain = append(toolchain, line)
		default:
			failed = append(failed, line)
		}
	}
	fmt.Fprintf(out, "govulncheck: %d called vulnerabilities (%d accepted, %d in the Go toolchain's standard library), %d more in imported packages or required modules that the code does not call\n",
		len(failed)+len(allowed)+len(toolchain), len(allowed), len(toolchain), rep.uncalled())
	for _, l := range failed {
		fmt.Fprintln(out, "  VULNERABLE  "+l)
	}
	for _, l := range allowed {
		fmt.Fprintln(out, "  accepted    "+l)
	}
	for _, l := range toolchain {
		fmt.Fprintln(out, "  TOOLCHAIN   "+l+"  [upgrade the Go toolchain; release images build with the newest golang:1.26 patch]")
	}
	if len(failed) > 0 {
		return errFindings
	}
	return nil
}

// readAccept parses the accept file into ID -> justification.
func readAccept(path string) (map[string]string, error) {
	accepted := map[string]string{}
	if path == "" {
		return accepted, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open accept file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		_, why, _ := strings.Cut(sc.Text(), "#")
		accepted[fields[0]] = strings.TrimSpace(why)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read accept file: %w", err)
	}
	return accepted, nil
}

// message is one object of govulncheck's JSON stream (only the parts used).
type message struct {
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *finding `json:"finding"`
}

type finding struct {
	OSV          string  `json:"osv"`
	FixedVersion string  `json:"fixed_version"`
	Trace        []frame `json:"trace"`
}

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
}

// report gathers the findings by ID.
type report struct {
	summary  map[string]string
	findings map[string][]finding
}

func readReport(in io.Reader) (*report, error) {
	rep := &report{summary: map[string]string{}, findings: map[string][]finding{}}
	dec := json.NewDecoder(in)
	for {
		var m message
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decode govulncheck output: %w", err)
		}
		if m.OSV != nil {
			rep.summary[m.OSV.ID] = m.OSV.Summary
		}
		if m.Finding != nil {
			rep.findings[m.Finding.OSV] = append(rep.findings[m.Finding.OSV], *m.Finding)
		}
	}
}

// called lists the IDs with a symbol-level finding, sorted.
func (r *report) called() []string {
	var ids []string
	for id, fs := range r.findings {
		for _, f := range fs {
			if len(f.Trace) > 0 && f.Trace[0].Function != "" {
				ids = append(ids, id)
				break
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// inStdlib reports whether a finding is in the standard library, whose fix
// comes with a newer Go toolchain rather than a go.mod change.
func (r *report) inStdlib(id string) bool {
	for _, f := range r.findings[id] {
		if len(f.Trace) > 0 && f.Trace[0].Module != "stdlib" && f.Trace[0].Module != "toolchain" {
			return false
		}
	}
	return true
}

// uncalled counts IDs found only at package or module level.
func (r *report) uncalled() int {
	return len(r.findings) - len(r.called())
}

// describe formats one called vulnerability: ID, where, fix and summary.
func (r *report) describe(id string) string {
	f := r.findings[id][0]
	where, fixed := "", f.FixedVersion
	if len(f.Trace) > 0 {
		top := f.Trace[0]
		where = top.Module + "@" + top.Version
		if (top.Module == "stdlib" || top.Module == "toolchain") && top.Package != "" {
			where = top.Package + "@" + top.Version
		}
	}
	if fixed == "" {
		fixed = "no fixed version"
	} else {
		fixed = "fixed in " + fixed
	}
	return fmt.Sprintf("%s  %s  (%s)  %s", id, where, fixed, r.summary[id])
}
