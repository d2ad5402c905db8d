package deployments

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dockerfileInfo is what the tests read from deployments/docker/Dockerfile.
type dockerfileInfo struct {
	from   []string          // base images, in order
	env    map[string]string // ENV of the final stage
	expose []string
	uid    int64 // numeric USER of the final stage
	run    []string
	text   string
}

// dockerfile parses the instructions these tests need (line continuations
// joined, comments dropped).
func dockerfile(t *testing.T) dockerfileInfo {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("docker", "Dockerfile"))
	require.NoError(t, err)
	info := dockerfileInfo{env: map[string]string{}, uid: -1, text: string(data)}
	for _, line := range logicalLines(string(data)) {
		op, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(op) {
		case "FROM":
			info.from = append(info.from, strings.Fields(rest)[0])
			info.env = map[string]string{} // ENV is per stage; keep the final one
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					info.env[k] = v
				}
			}
		case "EXPOSE":
			info.expose = append(info.expose, strings.Fields(rest)...)
		case "USER":
			user, _, _ := strings.Cut(rest, ":")
			uid, err := strconv.ParseInt(user, 10, 64)
			require.NoError(t, err, "USER must be numeric so runAsNonRoot can verify it")
			info.uid = uid
		case "RUN":
			info.run = append(info.run, rest)
		}
	}
	return info
}

func logicalLines(text string) []string {
	var out []string
	var cur strings.Builder
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

// rootGoVersion reads the go directive of the service's go.mod.
func rootGoVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "go.mod"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(string(data))
	require.NotNil(t, m)
	return m[1]
}

func TestDockerfile(t *testing.T) {
	d := dockerfile(t)

	t.Run("the builder's Go matches go.mod and the final stage is minimal", func(t *testing.T) {
		require.Len(t, d.from, 2)
		require.Equal(t, "golang:"+rootGoVersion(t), d.from[0])
		require.Regexp(t, `^(scratch|gcr\.io/distroless/static-debian\d+:nonroot)$`, d.from[1])
	})
	t.Run("the binary is static and trimmed", func(t *testing.T) {
		require.Regexp(t, `CGO_ENABLED=0`, d.text)
		require.Regexp(t, `GOFLAGS=-trimpath`, d.text)
		require.Regexp(t, `go build .*-o /out/chorus \./cmd/chorus`, strings.Join(d.run, "\n"))
	})
	t.Run("the final stage runs as non-root with the config path and port", func(t *testing.T) {
		require.Positive(t, d.uid)
		require.Equal(t, "/etc/chorus/config.toml", d.env["CHORUS_CONFIG"])
		require.Equal(t, []string{strconv.Itoa(serverPort)}, d.expose)
	})
	t.Run("the build downloads nothing but Go modules", func(t *testing.T) {
		for _, r := range d.run {
			require.NotRegexp(t, `\b(curl|wget|apt-get|apk|git clone|pip|npm)\b`, r)
		}
		require.NotRegexp(t, `(?m)^#\s*syntax=`, d.text, "a syntax directive pulls a frontend image")
		require.NotContains(t, d.text, "ADD http", "ADD with a URL downloads at build time")
	})
	t.Run("the build context keeps what the build needs", func(t *testing.T) {
		ignore, err := os.ReadFile(filepath.Join("docker", "Dockerfile.dockerignore"))
		require.NoError(t, err)
		for _, line := range strings.Split(string(ignore), "\n") {
			line = strings.TrimPrefix(strings.TrimSpace(line), "/")
			for _, needed := range []string{"go.mod", "go.sum", "cmd", "internal", "api", "configs"} {
				require.NotEqual(t, needed, line, "the build needs %s", needed)
			}
		}
		require.Contains(t, string(ignore), ".git")
	})
}
