package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
)

// Subcommands.
const (
	cmdServe    = "serve"
	cmdValidate = "validate"
	cmdMigrate  = "migrate"
	cmdVersion  = "version"
	cmdEval     = "eval"
)

var commands = []string{cmdServe, cmdValidate, cmdMigrate, cmdVersion, cmdEval}

// errHelp means -h was given and usage was printed.
var errHelp = errors.New("help requested")

// invocation is the parsed command line.
type invocation struct {
	command    string
	configPath string
	logLevel   string
	logFormat  string
	demo       bool
	dryRun     bool
	strict     bool
	eval       evalFlags
}

// parseArgs accepts `chorus [global flags] [command [flags]]`; the flags
// may stand before or after the command. Each command has its own FlagSet.
func parseArgs(args []string, stderr io.Writer) (invocation, error) {
	inv := invocation{command: cmdServe}
	global := newFlagSet("chorus", &inv, stderr)
	if err := parse(global, args); err != nil {
		return inv, err
	}
	rest := global.Args()
	if len(rest) == 0 {
		return inv, nil
	}
	if !slices.Contains(commands, rest[0]) {
		return inv, fmt.Errorf("unknown command %q (commands: serve, validate, migrate, eval, version)", rest[0])
	}
	inv.command = rest[0]
	sub := newFlagSet("chorus "+inv.command, &inv, stderr)
	if err := parse(sub, rest[1:]); err != nil {
		return inv, err
	}
	if sub.NArg() > 0 {
		return inv, fmt.Errorf("unexpected argument %q after %s", sub.Arg(0), inv.command)
	}
	if inv.strict && inv.command != cmdValidate {
		return inv, errors.New("--strict only applies to `chorus validate`")
	}
	if inv.dryRun && inv.command != cmdMigrate && inv.command != cmdEval {
		return inv, errors.New("--dry-run only applies to `chorus migrate` and `chorus eval`")
	}
	if inv.command != cmdEval && inv.eval.set() {
		return inv, errors.New("--prompts, --judge, --out and --concurrency only apply to `chorus eval`")
	}
	return inv, nil
}

func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	return err
}

// newFlagSet registers every flag on one FlagSet bound to inv, so values
// given before the command survive parsing the command's own flags.
func newFlagSet(name string, inv *invocation, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&inv.configPath, "config", inv.configPath, "configuration file (else $CHORUS_CONFIG, else ~/.config/chorus/config.toml)")
	fs.StringVar(&inv.configPath, "c", inv.configPath, "shorthand for --config")
	fs.StringVar(&inv.logLevel, "log-level", inv.logLevel, "trace|debug|info|warn|error (else $CHORUS_LOG, else $RUST_LOG, else info)")
	fs.StringVar(&inv.logFormat, "log-format", inv.logFormat, "json|console")
	fs.BoolVar(&inv.demo, "demo", inv.demo, "run the embedded offline demo config (echo models)")
	fs.BoolVar(&inv.strict, "strict", inv.strict, "validate: treat an unset ${NAME} api_key variable as an error (as serving does)")
	fs.BoolVar(&inv.dryRun, "dry-run", inv.dryRun, "migrate: print the migrated TOML, write nothing; eval: estimate calls and tokens, ask nothing")
	inv.eval.register(fs)
	fs.Usage = func() { usage(fs) }
	return fs
}

func usage(fs *flag.FlagSet) {
	out := fs.Output()
	fmt.Fprint(out, `Usage:
  chorus [serve]            run the gateway (default)
  chorus validate           check the configuration and exit 0 (ok) or 1 (problems listed)
  chorus migrate [--dry-run] convert a legacy config to the workflow JSON form
  chorus eval --prompts F.jsonl --judge MODEL --out DIR [--dry-run] [--concurrency N]
                            compare the workflow with each of its models on your prompts
  chorus version            print the version

Flags (before or after the command):
`)
	fs.PrintDefaults()
}
