package config_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

const secretValue = "sk-live-0123456789abcdef"

func secretConfig() string {
	return tomlWith(flatPlan, `
[[model]]
name = "env-key"
api_base = "https://env.example.com/v1"
api_key = "${CHORUS_TEST_KEY}"

[[model]]
name = "literal-key"
api_base = "https://lit.example.com/v1"
api_key = "`+secretValue+`-literal"

[server]
api_keys = ["${CHORUS_TEST_INBOUND}"]
`)
}

func TestLoad_EnvExpansion(t *testing.T) {
	t.Parallel()
	env := envOf(map[string]string{"CHORUS_TEST_KEY": secretValue, "CHORUS_TEST_INBOUND": secretValue + "-in"})
	s, err := loadString(t, secretConfig(), env)
	require.NoError(t, err)
	require.Equal(t, secretValue, s.Workflow.Models["env-key"].APIKey.Reveal())
	require.Equal(t, secretValue+"-literal", s.Workflow.Models["literal-key"].APIKey.Reveal())
	require.Equal(t, secretValue+"-in", s.Server.APIKeys[0].Reveal())
	require.False(t, s.Workflow.Models["d"].APIKey.IsSet(), "a model without api_key has none")
}

func TestLoad_MissingEnvVariable(t *testing.T) {
	t.Parallel()
	env := envOf(map[string]string{"CHORUS_TEST_INBOUND": secretValue})
	_, err := loadString(t, secretConfig(), env)
	problems := problemsOf(t, err)
	requireProblem(t, problems, `"env-key"`, "environment variable CHORUS_TEST_KEY, which is not set")
	require.Len(t, problems, 1)
	require.NotContains(t, err.Error(), secretValue, "errors never carry a key")
}

func TestSettings_KeysNeverPrinted(t *testing.T) {
	t.Parallel()
	env := envOf(map[string]string{"CHORUS_TEST_KEY": secretValue, "CHORUS_TEST_INBOUND": secretValue + "-in"})
	s, err := loadString(t, secretConfig(), env)
	require.NoError(t, err)
	require.Equal(t, secretValue, s.Workflow.Models["env-key"].APIKey.Reveal(), "the key is loaded")

	var logged bytes.Buffer
	log := zerolog.New(&logged)
	log.Info().Interface("settings", s).Msg("effective config")
	log.Info().Interface("models", s.Models).Interface("server", s.Server).Msg("parts")
	jsonOut, err := json.Marshal(s)
	require.NoError(t, err)

	forms := map[string]string{
		"zerolog":      logged.String(),
		"%v":           fmt.Sprintf("%v", s),
		"%+v":          fmt.Sprintf("%+v", *s),
		"%#v":          fmt.Sprintf("%#v", *s),
		"%v models":    fmt.Sprintf("%v", s.Models),
		"%+v workflow": fmt.Sprintf("%+v", s.Workflow),
		"%#v server":   fmt.Sprintf("%#v", s.Server),
		"json":         string(jsonOut),
	}
	for name, out := range forms {
		require.NotContains(t, out, secretValue, name)
		require.NotContains(t, out, "sk-live", name)
	}
	require.Contains(t, forms["json"], "********", "the mask shows that a key is set")
	require.Contains(t, forms["%+v"], "env-key", "the rest of the config is printed")
}
