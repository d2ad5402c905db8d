package bench

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Row is one line of the report.
type Row struct {
	// Key is the Options.Scenarios name the row judges ("" for a row
	// outside any, such as a baseline).
	Key      string
	Scenario string
	Summary  Summary
	// Versus is the comparison with the direct run or the critical path.
	Versus string
	// CPU is the gateway's CPU use in percent of one core ("" for direct).
	CPU string
	// RSS is the gateway's peak RSS so far ("" for direct).
	RSS string
	// Verdict is "PASS (...)", "MISS (...)" or "" for a baseline.
	Verdict string
}

// Report writes rows as fixed-width columns, one line per scenario as soon
// as it is measured.
type Report struct {
	w      io.Writer
	ok     bool
	judged map[string]bool // scenario keys some row judged
}

const rowFormat = "%-52s %8s %9s %9s %9s %6s %-15s %8s  %-44s %s\n"

// NewReport starts a report on w with the column header.
func NewReport(w io.Writer) *Report {
	fmt.Fprintf(w, rowFormat, "scenario", "req/s", "p50", "p90", "p99", "errors", "gw CPU", "gw RSS", "vs direct / critical path", "result")
	return &Report{w: w, ok: true, judged: map[string]bool{}}
}

// Add writes one row.
func (r *Report) Add(row Row) {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	s := row.Summary
	cols := []string{"-", "-", "-", "-", "-"}
	if s.Count > 0 || s.Errors > 0 {
		cols = []string{fmt.Sprintf("%.1f", s.RPS), ms(s.P50), ms(s.P90), ms(s.P99), fmt.Sprint(s.Errors)}
	}
	fmt.Fprintf(r.w, rowFormat, row.Scenario, cols[0], cols[1], cols[2], cols[3], cols[4],
		dash(row.CPU), dash(row.RSS), dash(row.Versus), dash(row.Verdict))
	if strings.HasPrefix(row.Verdict, "MISS") {
		r.ok = false
	}
	if row.Verdict != "" {
		r.judged[row.Key] = true
	}
}

// AllPass reports whether no row missed its target.
func (r *Report) AllPass() bool { return r.ok }

// Judged reports whether any row carried a verdict.
func (r *Report) Judged() bool { return len(r.judged) > 0 }

// Unjudged returns ErrNoVerdict naming the scenarios of keys no row judged.
func (r *Report) Unjudged(keys []string) error {
	var missing []string
	for _, k := range keys {
		if !r.judged[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrNoVerdict, strings.Join(missing, ","))
	}
	return nil
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

// signedMS formats a difference in milliseconds with its sign.
func signedMS(d time.Duration) string {
	return fmt.Sprintf("%+.2fms", float64(d)/float64(time.Millisecond))
}

// mib formats bytes in MiB.
func mib(b int64) string {
	return fmt.Sprintf("%.1fMiB", float64(b)/(1<<20))
}

// verdict returns "PASS (why)" or "MISS (why)".
func verdict(ok bool, format string, args ...any) string {
	word := "MISS"
	if ok {
		word = "PASS"
	}
	return word + " (" + fmt.Sprintf(format, args...) + ")"
}
