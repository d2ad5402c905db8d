package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// cmdHelp is `chorus help [command]`.
const cmdHelp = "help"

// commandDoc is what `chorus help CMD` and `chorus CMD --help` print.
type commandDoc struct {
	usage   string // the synopsis after "chorus "
	summary string
}

var commandDocs = map[string]commandDoc{
	cmdServe: {"[serve] [flags]", "Run the gateway (the default command). Reads the configuration from --config, else\n" +
		"$CHORUS_CONFIG, else ~/.config/chorus/config.toml; --demo runs the embedded offline demo\n" +
		"(echo models). SIGHUP reloads the configuration; SIGINT/SIGTERM shut down gracefully."},
	cmdValidate: {"validate [--strict] [flags]", "Check the configuration and exit 0 (valid) or 1 (every problem listed). Prints the\n" +
		"upstream calls one request makes and the nesting depth. An unset ${NAME} api_key variable\n" +
		"is a warning unless --strict."},
	cmdMigrate: {"migrate [--dry-run] [flags]", "Convert a legacy [workflow-integration] config (analyzer_model, worker_models,\n" +
		"synthesizer_model) to the workflow JSON form; the original is kept as <file>.bak.\n" +
		"--dry-run prints the result (keys masked) and writes nothing."},
	cmdEval: {"eval --prompts F.jsonl --judge MODEL --out DIR [--dry-run] [--concurrency N] [flags]",
		"Compare the workflow with each of its models on your prompts: a blind pairwise judge,\n" +
			"win rates with intervals, cost and latency, as report.json and report.html in --out."},
	cmdVersion: {"version", "Print the version (also: chorus --version)."},
	cmdHelp:    {"help [command]", "Print the usage of chorus or of one command (also: chorus COMMAND --help)."},
}

// flagCommands names the commands a command-specific flag applies to; every
// flag not listed here is global and shown for every command.
var flagCommands = map[string][]string{
	"strict":      {cmdValidate},
	"dry-run":     {cmdMigrate, cmdEval},
	"prompts":     {cmdEval},
	"judge":       {cmdEval},
	"out":         {cmdEval},
	"concurrency": {cmdEval},
}

// printHelp writes the overview (topic "") or one command's usage to w,
// listing only the flags that apply.
func printHelp(w io.Writer, topic string) {
	var inv invocation
	all := newFlagSet("chorus", &inv)
	if topic == "" {
		fmt.Fprint(w, "chorus: an LLM gateway that answers with a multi-model workflow.\n\nUsage:\n")
		for _, c := range commands {
			fmt.Fprintf(w, "  chorus %s\n", commandDocs[c].usage)
		}
		fmt.Fprint(w, "\nRun `chorus help COMMAND` (or `chorus COMMAND --help`) for a command's flags.\n\nGlobal flags (before or after the command):\n")
		printFlags(w, all, func(name string) bool { _, specific := flagCommands[name]; return !specific })
		return
	}
	doc := commandDocs[topic]
	fmt.Fprintf(w, "Usage: chorus %s\n\n%s\n\nFlags:\n", doc.usage, doc.summary)
	printFlags(w, all, func(name string) bool {
		cmds, specific := flagCommands[name]
		return !specific || slices.Contains(cmds, topic)
	})
}

// printFlags prints the flags of fs that keep accepts, in flag's own format.
func printFlags(w io.Writer, fs *flag.FlagSet, keep func(string) bool) {
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	fs.VisitAll(func(f *flag.Flag) {
		if keep(f.Name) {
			shown.Var(f.Value, f.Name, f.Usage)
		}
	})
	shown.SetOutput(w)
	shown.PrintDefaults()
}

// helpInvocation parses the arguments after `chorus help`.
func helpInvocation(inv invocation, args []string) (invocation, error) {
	inv.command = cmdHelp
	switch {
	case len(args) > 1:
		return inv, fmt.Errorf("unexpected argument %q after help", args[1])
	case len(args) == 1 && !slices.Contains(commands, args[0]):
		return inv, fmt.Errorf("unknown command %q (commands: %s)", args[0], strings.Join(commands, ", "))
	case len(args) == 1:
		inv.helpTopic = args[0]
	}
	return inv, nil
}
