package deployments

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

// placeholder is the only value an example Secret may hold.
const placeholder = "replace-me"

// exampleSecret decodes k8s/secret.example.yaml strictly.
func exampleSecret(t *testing.T) *corev1.Secret {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(k8sDir, "secret.example.yaml"))
	require.NoError(t, err)
	obj, err := decodeStrict(data)
	require.NoError(t, err)
	s, ok := obj.(*corev1.Secret)
	require.True(t, ok, "secret.example.yaml is a Secret")
	return s
}

// keyPatterns match credentials that must never be committed.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`sk-[A-Za-z0-9_-]{16,}`),                 // OpenAI, Anthropic, DeepSeek style
	regexp.MustCompile(`\b[0-9a-fA-F]{32,}\b`),                  // long hex tokens
	regexp.MustCompile(`\bAKIA[0-9A-Z]{16}\b`),                  // AWS access key id
	regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`),             // Google API key
	regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{36,}\b`),        // GitHub tokens
	regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`),       // Slack tokens
	regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`),    // PEM keys
	regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/-]{20,}=*`), // inline bearer tokens
}

// findKeys returns every substring of text that looks like a credential.
func findKeys(text string) []string {
	var out []string
	for _, re := range keyPatterns {
		out = append(out, re.FindAllString(text, -1)...)
	}
	return out
}

func TestFindKeys(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{name: "an OpenAI-style key is found", text: `api_key = "sk-proj-AbCdEfGh1234567890XyZ"`, want: true},
		{name: "a long hex token is found", text: "token: 0123456789abcdef0123456789abcdef", want: true},
		{name: "an AWS key id is found", text: "AKIAIOSFODNN7EXAMPLE", want: true},
		{name: "a GitHub token is found", text: "ghp_" + strings.Repeat("a1", 18), want: true},
		{name: "an inline bearer token is found", text: "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", want: true},
		{name: "a PEM private key is found", text: "-----BEGIN RSA PRIVATE KEY-----", want: true},
		{name: "an env reference is fine", text: `api_key = "${OPENAI_API_KEY}"`},
		{name: "the placeholder is fine", text: "OPENAI_API_KEY: replace-me"},
		{name: "a short sk- word is fine", text: "task-runner sk-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, len(findKeys(tt.text)) > 0, findKeys(tt.text))
		})
	}
}

func TestDeployments_holdNoPlainTextKeys(t *testing.T) {
	t.Run("no file under deployments/ contains a credential", func(t *testing.T) {
		scanned := 0
		err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") || p == "go.sum" {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			scanned++
			require.Empty(t, findKeys(string(data)), "file %s", p)
			return nil
		})
		require.NoError(t, err)
		require.Greater(t, scanned, 5)
	})
	t.Run("the built base holds no credential", func(t *testing.T) {
		b := buildBase(t)
		require.Empty(t, findKeys(b.configMap.Data[configKey]))
		for _, e := range chorusContainer(t, b.deployment).Env {
			require.Empty(t, findKeys(e.Value), "env %s", e.Name)
			if regexp.MustCompile(`(?i)(key|token|secret|password)`).MatchString(e.Name) {
				require.Empty(t, e.Value, "env %s must come from a Secret, not a literal", e.Name)
				require.NotNil(t, e.ValueFrom, "env %s", e.Name)
				require.NotNil(t, e.ValueFrom.SecretKeyRef, "env %s", e.Name)
			}
		}
	})
	t.Run("the example Secret holds placeholders only", func(t *testing.T) {
		s := exampleSecret(t)
		require.Empty(t, s.Data, "use stringData with placeholders")
		require.NotEmpty(t, s.StringData)
		for k, v := range s.StringData {
			require.Equal(t, placeholder, v, "key %s", k)
		}
	})
}
