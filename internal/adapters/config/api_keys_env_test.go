package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A CHORUS_API_KEYS value that holds no key must not switch off the keys
// of the file: a stray "," in a deployment would open the gateway to anyone.
func TestLoad_ChorusAPIKeysWithoutAKeyIsAStartupError(t *testing.T) {
	t.Parallel()
	extra := "[server]\napi_keys = [\"file-key\"]\n"
	for _, v := range []string{",", " , ", " ", ",,,"} {
		t.Run("value "+quoted(v), func(t *testing.T) {
			t.Parallel()
			_, err := loadString(t, tomlWith(flatPlan, extra), envOf(map[string]string{"CHORUS_API_KEYS": v}))
			requireProblem(t, problemsOf(t, err), "CHORUS_API_KEYS", "no key")
		})
	}
	t.Run("an empty value is unset: the file's keys apply", func(t *testing.T) {
		t.Parallel()
		s, err := loadString(t, tomlWith(flatPlan, extra), envOf(map[string]string{"CHORUS_API_KEYS": ""}))
		require.NoError(t, err)
		require.Len(t, s.Server.APIKeys, 1)
		require.Equal(t, "file-key", s.Server.APIKeys[0].Reveal())
	})
}

func quoted(s string) string { return "\"" + s + "\"" }
