package main

import "flag"

// evalFlags are the flags of `chorus eval`.
type evalFlags struct {
	prompts     string
	judge       string
	out         string
	concurrency int
}

func (f *evalFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.prompts, "prompts", f.prompts, "eval: JSONL prompt file ({\"id\", \"prompt\" | \"messages\", \"reference\"})")
	fs.StringVar(&f.judge, "judge", f.judge, "eval: the configured model that judges answers pairwise (--demo: echo-judge)")
	fs.StringVar(&f.out, "out", f.out, "eval: output directory (report.json, report.html, cache/)")
	fs.IntVar(&f.concurrency, "concurrency", f.concurrency, "eval: answers and judgements in flight at once (default 4)")
}

// set reports whether any eval flag was given.
func (f evalFlags) set() bool {
	return f.prompts != "" || f.judge != "" || f.out != "" || f.concurrency != 0
}
