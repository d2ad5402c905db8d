package contract

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// officialDir is test/contract/official, found from this source file so
// tests in any package can read it without embedding the 3 MB documents.
func officialDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "official")
}

func readOfficial(name string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(officialDir(), name))
	if err != nil {
		return nil, fmt.Errorf("read official spec: %w", err)
	}
	return b, nil
}
