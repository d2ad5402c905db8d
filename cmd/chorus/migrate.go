package main

import (
	"fmt"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

// runMigrate converts a legacy file to the workflow JSON form: with
// --dry-run it prints the new TOML and writes nothing; otherwise it rewrites
// the file atomically and keeps the original as a .bak file beside it.
func runMigrate(inv invocation, e env) int {
	if inv.demo {
		fmt.Fprintln(e.stderr, "chorus: migrate works on a file; --demo has nothing to migrate")
		return exitUsage
	}
	path, err := config.ResolvePath(inv.loadOptions(e))
	if err != nil {
		return configExitCode(err, e.stderr)
	}
	out, migrated, err := config.Migrate(path, inv.dryRun)
	if err != nil {
		return configExitCode(err, e.stderr)
	}
	switch {
	case !migrated:
		fmt.Fprintf(e.stdout, "nothing to migrate: %s already uses the workflow JSON format\n", path)
	case inv.dryRun:
		_, _ = e.stdout.Write(out)
	default:
		fmt.Fprintf(e.stdout, "migrated %s to the workflow JSON format; the original is kept beside it as %s.bak (or %s.bak.<unix time> when that existed)\n",
			path, path, path)
	}
	return exitOK
}
