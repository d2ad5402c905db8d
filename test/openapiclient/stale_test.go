package openapiclient_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

func TestClientIsGeneratedFromTheCurrentSpec(t *testing.T) {
	t.Parallel()
	root, err := chorusproc.RepoRoot()
	require.NoError(t, err)
	spec, err := os.ReadFile(filepath.Join(root, "api", "openapi.yaml"))
	require.NoError(t, err)
	recorded, err := os.ReadFile("openapi.sha256")
	require.NoError(t, err)
	sum := sha256.Sum256(spec)
	require.Equal(t, strings.TrimSpace(string(recorded)), hex.EncodeToString(sum[:]),
		"api/openapi.yaml changed since test/openapiclient was generated: run `make generate`")
}
