package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// Exit codes of the chorus command.
const (
	exitOK      = 0
	exitFailure = 1 // invalid configuration or a runtime error
	exitUsage   = 2 // bad command line, or no configuration file found
)

// env is what a subcommand needs from the process, injected for tests.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// run parses the command line and runs one subcommand, returning the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdout: stdout, stderr: stderr}
	inv, err := parseArgs(args, stderr)
	if errors.Is(err, errHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "chorus:", err)
		fmt.Fprintln(stderr, "run `chorus -h` for usage")
		return exitUsage
	}
	switch inv.command {
	case cmdVersion:
		fmt.Fprintf(stdout, "chorus %s\n", version)
		return exitOK
	case cmdValidate:
		return runValidate(inv, e)
	case cmdMigrate:
		return runMigrate(inv, e)
	case cmdEval:
		return runEval(ctx, inv, e)
	default:
		return runServe(ctx, inv, e)
	}
}

// loadOptions turns the flags into config.LoadOptions.
func (inv invocation) loadOptions(getenv func(string) string) config.LoadOptions {
	return config.LoadOptions{
		ExplicitPath: inv.configPath,
		Getenv:       getenv,
		HomeDir:      getenv("HOME"),
		Demo:         inv.demo,
	}
}

// configExitCode maps a load error to an exit code and prints it.
func configExitCode(err error, stderr io.Writer) int {
	var ve *config.ValidationError
	var nf *config.NotFoundError
	switch {
	case errors.As(err, &ve):
		fmt.Fprintln(stderr, ve.Error())
		return exitFailure
	case errors.Is(err, config.ErrNoConfig), errors.As(err, &nf), errors.Is(err, config.ErrDemoWithConfig):
		fmt.Fprintln(stderr, "chorus:", err)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "chorus:", err)
		return exitFailure
	}
}
