package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// usage: bundle SOURCE OUTPUT (run by `go generate ./api`).
func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: bundle SOURCE OUTPUT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func run(source, output string) error {
	src, err := os.ReadFile(source)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	out, err := Bundle(src, filepath.Dir(source))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Clean(output), out, 0o644); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
