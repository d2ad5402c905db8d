package config

import "time"

// Defaults of the [upstream] stream limits: generous for real answers,
// small enough that a hostile or broken upstream cannot exhaust memory.
const (
	defaultMaxEventBytes  = 1 << 20
	defaultMaxAnswerBytes = 2 << 20
	defaultMaxStreamBytes = 256 << 20
	defaultMaxStreamSecs  = 900
	// maxLimitBytes keeps a limit from being set so high it means nothing.
	maxLimitBytes = 1 << 30
)

// Upstream holds the [upstream] section: bounds on one streamed upstream
// answer. Crossing one ends that call with a limit_exceeded upstream error.
type Upstream struct {
	// MaxEventBytes bounds one SSE event or NDJSON line (default 1 MiB).
	MaxEventBytes int
	// MaxAnswerBytes bounds the answer kept from one stream (default 4 MiB).
	MaxAnswerBytes int
	// MaxStreamBytes bounds the bytes read from one stream (default 32 MiB).
	MaxStreamBytes int64
	// MaxStreamTime bounds one stream's total duration (default 15 min);
	// the stage timeout only bounds silence between deltas.
	MaxStreamTime time.Duration
}

type rawUpstream struct {
	MaxEventBytes  int   `koanf:"max_event_bytes"`
	MaxAnswerBytes int   `koanf:"max_answer_bytes"`
	MaxStreamBytes int64 `koanf:"max_stream_bytes"`
	MaxStreamSecs  int   `koanf:"max_stream_secs"`
}

func defaultRawUpstream() rawUpstream {
	return rawUpstream{
		MaxEventBytes:  defaultMaxEventBytes,
		MaxAnswerBytes: defaultMaxAnswerBytes,
		MaxStreamBytes: defaultMaxStreamBytes,
		MaxStreamSecs:  defaultMaxStreamSecs,
	}
}

func upstreamSpec() *spec {
	return &spec{kind: kTable, fields: map[string]*spec{
		"max_event_bytes":  {kind: kInt},
		"max_answer_bytes": {kind: kInt},
		"max_stream_bytes": {kind: kInt},
		"max_stream_secs":  {kind: kInt},
	}}
}

// toUpstream checks the limits: each positive and below a sanity bound.
func toUpstream(u rawUpstream, ps *problems) Upstream {
	checkBytes := func(key string, v int64) {
		if v < 1 || v > maxLimitBytes {
			ps.addAt("upstream."+key, "upstream.%s must be between 1 and %d bytes, got %d", key, int64(maxLimitBytes), v)
		}
	}
	checkBytes("max_event_bytes", int64(u.MaxEventBytes))
	checkBytes("max_answer_bytes", int64(u.MaxAnswerBytes))
	checkBytes("max_stream_bytes", u.MaxStreamBytes)
	if u.MaxStreamSecs < 1 || u.MaxStreamSecs > maxTimeoutSecs {
		ps.addAt("upstream.max_stream_secs", "upstream.max_stream_secs must be a positive number of seconds (1..%d), got %d",
			maxTimeoutSecs, u.MaxStreamSecs)
	}
	return Upstream{
		MaxEventBytes:  u.MaxEventBytes,
		MaxAnswerBytes: u.MaxAnswerBytes,
		MaxStreamBytes: u.MaxStreamBytes,
		MaxStreamTime:  time.Duration(u.MaxStreamSecs) * time.Second,
	}
}
