// Command specsum records the SHA-256 of the OpenAPI document the client was
// generated from, so a test can tell when the client is stale.
//
// Usage: specsum SPEC OUT
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "specsum:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: specsum SPEC OUT")
	}
	spec, err := os.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf("read spec: %w", err)
	}
	sum := sha256.Sum256(spec)
	if err := os.WriteFile(args[1], []byte(hex.EncodeToString(sum[:])+"\n"), 0o644); err != nil {
		return fmt.Errorf("write sum: %w", err)
	}
	return nil
}
