package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Subcommands.
const (
	cmdServe    = "serve"
	cmdValidate = "validate"
	cmdMigrate  = "migrate"
	cmdVersion  = "version"
	cmdEval     = "eval"
)

var commands = []string{cmdServe, cmdValidate, cmdMigrate, cmdEval, cmdVersion, cmdHelp}

// errHelp means -h or --help was given.
var errHelp = errors.New("help requested")

// invocation is the parsed command line.
type invocation struct {
	command    string
	configPath string
	logLevel   string
	logFormat  string
	demo       bool
	host       string // --host: overrides [server] host (as CHORUS_HOST)
	port       string // --port: overrides [server] port (as CHORUS_PORT)
	adminAddr  string // --admin-addr: overrides [server] admin_addr (as CHORUS_ADMIN_ADDR); "off" turns it off
	dryRun     bool
	strict     bool
	version    bool
	helpTopic  string // cmdHelp: the command to explain, "" for the overview
	eval       evalFlags
}

// parseArgs accepts `chorus [global flags] [command [flags]]`; the flags
// may stand before or after the command. Each command has its own FlagSet.
func parseArgs(args []string) (invocation, error) {
	inv := invocation{command: cmdServe}
	global := newFlagSet("chorus", &inv)
	if err := parse(global, args); err != nil {
		if errors.Is(err, errHelp) {
			return helpInvocation(inv, nil)
		}
		return inv, err
	}
	rest := global.Args()
	if len(rest) == 0 {
		return withVersion(inv), nil
	}
	if rest[0] == cmdHelp {
		return helpInvocation(inv, rest[1:])
	}
	if !slices.Contains(commands, rest[0]) {
		return inv, fmt.Errorf("unknown command %q (commands: %s)", rest[0], strings.Join(commands, ", "))
	}
	inv.command = rest[0]
	sub := newFlagSet("chorus "+inv.command, &inv)
	if err := parse(sub, rest[1:]); err != nil {
		if errors.Is(err, errHelp) {
			return helpInvocation(inv, rest[:1])
		}
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
	return withVersion(inv), nil
}

// withVersion makes --version print the version whatever the command.
func withVersion(inv invocation) invocation {
	if inv.version {
		inv.command = cmdVersion
	}
	return inv
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
func newFlagSet(name string, inv *invocation) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// Parse errors come back as errors and are printed once by run.
	fs.SetOutput(io.Discard)
	fs.StringVar(&inv.configPath, "config", inv.configPath, "configuration file (else $CHORUS_CONFIG, else ~/.config/chorus/config.toml)")
	fs.StringVar(&inv.configPath, "c", inv.configPath, "shorthand for --config")
	fs.StringVar(&inv.logLevel, "log-level", inv.logLevel, "trace|debug|info|warn|error (else $CHORUS_LOG, else $RUST_LOG, else info)")
	fs.StringVar(&inv.logFormat, "log-format", inv.logFormat, "json|console")
	fs.BoolVar(&inv.demo, "demo", inv.demo, "run the embedded offline demo config (echo models)")
	fs.StringVar(&inv.host, "host", inv.host, "listen address, overriding [server] host of any config, --demo's too (else $CHORUS_HOST)")
	fs.StringVar(&inv.port, "port", inv.port, "listen port, overriding [server] port of any config, --demo's too (else $CHORUS_PORT)")
	fs.Func("admin-addr", "admin listener host:port for /metrics and /debug/pprof, overriding [server] admin_addr of any config, --demo's too; off (or \"\") turns it off (else $CHORUS_ADMIN_ADDR, else 127.0.0.1 and the port after --port)", func(v string) error {
		if strings.TrimSpace(v) == "" {
			v = "off" // the environment reads "" as unset, so pass the word
		}
		inv.adminAddr = v
		return nil
	})
	fs.BoolVar(&inv.strict, "strict", inv.strict, "validate: treat an unset ${NAME} api_key variable as an error (as serving does)")
	fs.BoolVar(&inv.dryRun, "dry-run", inv.dryRun, "migrate: print the migrated TOML, write nothing; eval: estimate calls and tokens, ask nothing")
	fs.BoolVar(&inv.version, "version", inv.version, "print the version and exit")
	inv.eval.register(fs)
	// -h/--help is answered by printHelp on stdout.
	fs.Usage = func() {}
	return fs
}
