package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
)

func TestLoad_UpstreamStreamLimits(t *testing.T) {
	t.Parallel()
	s, err := loadString(t, tomlWith(flatPlan, ""), noEnv)
	require.NoError(t, err)
	require.Equal(t, config.Upstream{MaxEventBytes: 1 << 20, MaxAnswerBytes: 2 << 20, MaxStreamBytes: 256 << 20,
		MaxStreamTime: 15 * time.Minute}, s.Upstream, "generous defaults")

	s, err = loadString(t, tomlWith(flatPlan, "[upstream]\nmax_event_bytes = 1024\nmax_answer_bytes = 2048\n"+
		"max_stream_bytes = 4096\nmax_stream_secs = 60\n"), noEnv)
	require.NoError(t, err)
	require.Equal(t, config.Upstream{MaxEventBytes: 1024, MaxAnswerBytes: 2048, MaxStreamBytes: 4096,
		MaxStreamTime: time.Minute}, s.Upstream)
}

func TestLoad_UpstreamLimitsAreValidatedTogether(t *testing.T) {
	t.Parallel()
	_, err := loadString(t, tomlWith(flatPlan, "[upstream]\nmax_event_bytes = 0\nmax_answer_bytes = -1\n"+
		"max_stream_bytes = 9999999999999\nmax_stream_secs = 0\n"), noEnv)
	var verr *config.ValidationError
	require.ErrorAs(t, err, &verr)
	text := err.Error()
	for _, want := range []string{"upstream.max_event_bytes must be between 1", "upstream.max_answer_bytes must be between 1",
		"upstream.max_stream_bytes must be between 1", "upstream.max_stream_secs must be a positive number"} {
		require.Contains(t, text, want)
	}
}
