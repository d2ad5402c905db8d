package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/chorus-ai/chorus/internal/ports"
)

// progressBar draws eval progress on stderr: one redrawn line on a
// terminal, else one line per step (logs, CI, and tests that wait for a
// number of answers).
type progressBar struct {
	w   io.Writer
	tty bool
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w, tty: isTerminal(w)} }

// barWidth is the number of cells of the terminal bar.
const barWidth = 30

// Progress implements [ports.EvalProgress].
func (p *progressBar) Progress(ev ports.EvalEvent) {
	note := ""
	switch {
	case ev.Err != nil:
		note = " failed: " + ev.Err.Error()
	case ev.Cached:
		note = " (cached)"
	}
	if !p.tty {
		fmt.Fprintf(p.w, "eval: %s %d/%d %s%s\n", ev.Phase, ev.Done, ev.Total, ev.Label, note)
		return
	}
	filled := barWidth * ev.Done / max(ev.Total, 1)
	fmt.Fprintf(p.w, "\r\033[K%-10s [%s%s] %d/%d %s", ev.Phase, strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled),
		ev.Done, ev.Total, ev.Label)
	if ev.Err != nil {
		fmt.Fprintf(p.w, "\n  %s%s\n", ev.Label, note)
	}
	if ev.Done == ev.Total {
		fmt.Fprintln(p.w)
	}
}
