package readme_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/readme"
)

// userDocs are the Markdown files a newcomer reads: both READMEs and docs/.
func userDocs(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(env.Root, "docs", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, docs)
	return append([]string{filepath.Join(env.Root, "README.md"), filepath.Join(env.Root, "README.en.md")}, docs...)
}

// TestDocLinksResolve requires every relative link and image of the user
// docs to name an existing file, and every #anchor to name a heading of its
// target (a renamed heading or moved doc once left links dangling).
func TestDocLinksResolve(t *testing.T) {
	t.Parallel()
	for _, doc := range userDocs(t) {
		text, err := os.ReadFile(doc)
		require.NoError(t, err)
		for _, link := range readme.Links(string(text)) {
			rel, _ := filepath.Rel(env.Root, doc)
			file, anchor, _ := strings.Cut(link, "#")
			target := doc
			if file != "" {
				target = filepath.Join(filepath.Dir(doc), file)
				require.FileExists(t, target, "%s links to %q", rel, link)
			}
			if anchor == "" || !strings.HasSuffix(target, ".md") {
				continue
			}
			body, err := os.ReadFile(target)
			require.NoError(t, err)
			require.Contains(t, readme.HeadingAnchors(string(body)), anchor, "%s links to %q: no such heading", rel, link)
		}
	}
}

// TestDocMakeTargetsExist requires every `make TARGET` the READMEs show to
// be a target of the Makefile.
func TestDocMakeTargetsExist(t *testing.T) {
	t.Parallel()
	makefile, err := os.ReadFile(filepath.Join(env.Root, "Makefile"))
	require.NoError(t, err)
	targets := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([a-zA-Z0-9_-]+):`).FindAllStringSubmatch(string(makefile), -1) {
		targets[m[1]] = true
	}
	mention := regexp.MustCompile("(?m)(?:`|^)make ([a-z][a-z0-9-]*)")
	for _, doc := range readmes {
		found := mention.FindAllStringSubmatch(readDoc(t, doc.name), -1)
		require.NotEmpty(t, found, doc.name)
		for _, m := range found {
			require.True(t, targets[m[1]], "%s shows `make %s`, which the Makefile lacks", doc.name, m[1])
		}
	}
}

// schemaProblem matches what `chorus validate` says about a key or value the
// config does not know; the docs' TOML snippets are fragments (models they
// reference may be missing), but every key and value they show must exist.
var schemaProblem = regexp.MustCompile(`unknown (section or )?key|must be an? |invalid TOML|outside \[|must be between|is not a valid`)

// TestDocTOMLSnippetsUseKnownKeys runs `chorus validate` on every TOML block
// of the user docs and requires no unknown key, wrong type or bad value.
func TestDocTOMLSnippetsUseKnownKeys(t *testing.T) {
	if env.Bin == "" {
		t.Skip("the binary was not built (bash or curl missing)")
	}
	t.Parallel()
	dir := t.TempDir()
	checked := 0
	for _, doc := range userDocs(t) {
		text, err := os.ReadFile(doc)
		require.NoError(t, err)
		rel, _ := filepath.Rel(env.Root, doc)
		for _, b := range readme.FencedBlocks(string(text), "toml") {
			path := filepath.Join(dir, "snippet.toml")
			require.NoError(t, os.WriteFile(path, []byte(b.Script), 0o600))
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			out, _ := exec.CommandContext(ctx, env.Bin, "validate", "--config", path).CombinedOutput()
			cancel()
			for line := range strings.SplitSeq(string(out), "\n") {
				require.NotRegexp(t, schemaProblem, line, "%s:%d: the TOML snippet does not match the config schema:\n%s", rel, b.Line, out)
			}
			checked++
		}
	}
	require.Positive(t, checked, "no TOML snippet found")
}

// TestREADMEQuotesThePortTakenMessage starts a second demo on the port the
// test server holds and requires the READMEs to quote what it prints (the
// troubleshooting row once showed a message the binary no longer printed).
func TestREADMEQuotesThePortTakenMessage(t *testing.T) {
	if env.Server == nil {
		t.Skip("no demo server (bash or curl missing)")
	}
	t.Parallel()
	port := strings.TrimPrefix(env.Server.URL, "http://127.0.0.1:")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, env.Bin, "--demo", "--port", port, "--admin-addr", "off").CombinedOutput()
	require.Error(t, err, "a second server on a taken port must fail:\n%s", out)

	line := regexp.MustCompile(`(?m)^chorus: listen on .*$`).FindString(string(out))
	require.NotEmpty(t, line, "no `chorus: listen on ...` line in:\n%s", out)
	quoted := strings.ReplaceAll(line, "127.0.0.1:"+port, "127.0.0.1:11435")
	quoted = regexp.MustCompile(`\b\d{4,5}\b`).ReplaceAllStringFunc(quoted, func(n string) string {
		if n == "11435" {
			return n
		}
		return "N"
	})
	require.Contains(t, readDoc(t, "README.md"), quoted, "README.md's troubleshooting should quote the message")
	require.Contains(t, quoted, ": try --port N", "the message should hint at --port")
	require.Contains(t, readDoc(t, "README.en.md"), "address already in use ...: try --port N", "README.en.md should name the hint")
}
