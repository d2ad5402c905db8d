package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// The start-up log says whether inbound auth is on and with how many keys,
// never the keys.
func TestRun_ServeLogsWhetherInboundAuthIsOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{name: "no keys: off", want: `"inbound_auth":false,"api_keys":0`},
		{name: "two keys from the environment: on", env: map[string]string{"CHORUS_API_KEYS": "k-one-secret, k-two-secret"},
			want: `"inbound_auth":true,"api_keys":2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			env := map[string]string{"HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			cfg := fmt.Sprintf(loggingTOML, freePort(t))
			code, out, errOut := runCLI(t, ctx, exampleEnv(env), "-c", writeTemp(t, "auth.toml", cfg))
			require.Equal(t, 0, code, errOut+out)
			require.Contains(t, out, tt.want)
			require.NotContains(t, out+errOut, "secret")
		})
	}
}
