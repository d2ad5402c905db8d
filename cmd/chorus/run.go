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
	// lookupEnv tells an empty variable from an unset one (for ${NAME}
	// api_key messages); nil derives it from getenv.
	lookupEnv func(string) (string, bool)
	stdout    io.Writer
	stderr    io.Writer
}

// runProcess is run with the process environment.
func runProcess(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) int {
	getenv := func(k string) string { v, _ := lookupEnv(k); return v }
	return runEnv(ctx, args, env{getenv: getenv, lookupEnv: lookupEnv, stdout: stdout, stderr: stderr})
}

// run parses the command line and runs one subcommand, returning the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, env{getenv: getenv, stdout: stdout, stderr: stderr})
}

func runEnv(ctx context.Context, args []string, e env) int {
	stdout, stderr := e.stdout, e.stderr
	inv, err := parseArgs(args)
	if err != nil {
		fmt.Fprintln(stderr, "chorus:", err)
		fmt.Fprintln(stderr, "run `chorus help` for usage")
		return exitUsage
	}
	switch inv.command {
	case cmdHelp:
		printHelp(stdout, inv.helpTopic)
		return exitOK
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
func (inv invocation) loadOptions(e env) config.LoadOptions {
	e = inv.listenEnv(e)
	return config.LoadOptions{
		ExplicitPath: inv.configPath,
		Getenv:       e.getenv,
		LookupEnv:    e.lookupEnv,
		HomeDir:      e.getenv("HOME"),
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

// listenEnv makes --host, --port and --admin-addr read as CHORUS_HOST,
// CHORUS_PORT and CHORUS_ADMIN_ADDR (a flag wins over the variable), so the
// config package applies and validates them over any configuration, the
// demo's included, on every load and reload.
func (inv invocation) listenEnv(e env) env {
	over := map[string]string{}
	if inv.host != "" {
		over[config.EnvHost] = inv.host
	}
	if inv.port != "" {
		over[config.EnvPort] = inv.port
	}
	if inv.adminAddr != "" {
		over[config.EnvAdminAddr] = inv.adminAddr
	}
	if len(over) == 0 {
		return e
	}
	if get := e.getenv; get != nil {
		e.getenv = func(k string) string {
			if v, ok := over[k]; ok {
				return v
			}
			return get(k)
		}
	}
	if look := e.lookupEnv; look != nil {
		e.lookupEnv = func(k string) (string, bool) {
			if v, ok := over[k]; ok {
				return v, true
			}
			return look(k)
		}
	}
	return e
}
