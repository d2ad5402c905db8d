package config

// The team-scale sections (issue 14): several deployments per model, model
// fallbacks, passive health, the answer cache, the shared state store and
// per-key rate limits. Their schema and raw form live here so the rest of
// the file format stays readable.

// Defaults of the team-scale keys.
const (
	defaultFailureThreshold = 3
	defaultCooldownSecs     = 30
	defaultCacheTTLSecs     = 600
	defaultCacheMaxEntries  = 10000
)

type rawDeployment struct {
	Provider    string     `koanf:"provider"`
	APIBase     string     `koanf:"api_base"`
	APIKey      maskedText `koanf:"api_key"`
	Weight      *int       `koanf:"weight"`
	TimeoutSecs *int       `koanf:"timeout_secs"`
}

type rawHealth struct {
	FailureThreshold int `koanf:"failure_threshold"`
	CooldownSecs     int `koanf:"cooldown_secs"`
}

type rawCache struct {
	Enabled    bool `koanf:"enabled"`
	OptIn      bool `koanf:"opt_in"`
	TTLSecs    int  `koanf:"ttl_secs"`
	MaxEntries int  `koanf:"max_entries"`
}

type rawState struct {
	RedisURL       maskedText `koanf:"redis_url"` // may hold a password
	LimitsFailOpen bool       `koanf:"limits_fail_open"`
}

// rawAPIKey is one [server] api_keys entry: a plain string (decoded through
// UnmarshalText) or a table with optional limits.
type rawAPIKey struct {
	Key               maskedText `koanf:"key"`
	RequestsPerMinute int        `koanf:"requests_per_minute"`
	TokensPerMinute   int        `koanf:"tokens_per_minute"`
}

// UnmarshalText accepts the plain-string form of an api_keys entry.
func (k *rawAPIKey) UnmarshalText(b []byte) error {
	*k = rawAPIKey{Key: maskedText(b)}
	return nil
}

func defaultRawHealth() rawHealth {
	return rawHealth{FailureThreshold: defaultFailureThreshold, CooldownSecs: defaultCooldownSecs}
}

func defaultRawCache() rawCache {
	return rawCache{TTLSecs: defaultCacheTTLSecs, MaxEntries: defaultCacheMaxEntries}
}

func apiKeysSpec() *spec {
	return &spec{kind: kKeyList, secret: true, fields: map[string]*spec{
		"key":                 {kind: kString, secret: true},
		"requests_per_minute": {kind: kInt},
		"tokens_per_minute":   {kind: kInt},
	}}
}

func deploymentSpec() *spec {
	return &spec{kind: kTables, fields: map[string]*spec{
		"provider":     {kind: kString},
		"api_base":     {kind: kString},
		"api_key":      {kind: kString, secret: true},
		"weight":       {kind: kInt},
		"timeout_secs": {kind: kInt},
	}}
}

func healthSpec() *spec {
	return &spec{kind: kTable, fields: map[string]*spec{
		"failure_threshold": {kind: kInt},
		"cooldown_secs":     {kind: kInt},
	}}
}

func cacheSpec() *spec {
	return &spec{kind: kTable, fields: map[string]*spec{
		"enabled":     {kind: kBool},
		"opt_in":      {kind: kBool},
		"ttl_secs":    {kind: kInt},
		"max_entries": {kind: kInt},
	}}
}

func stateSpec() *spec {
	return &spec{kind: kTable, fields: map[string]*spec{
		"redis_url":        {kind: kString, secret: true},
		"limits_fail_open": {kind: kBool},
	}}
}

// checkKeyList checks an array whose entries are strings or tables.
func checkKeyList(key string, v any, s *spec, ps *problems) bool {
	list, ok := v.([]any)
	if !ok {
		ps.addAt(key, "%s must be an array of keys (strings or { key = ..., requests_per_minute = ..., tokens_per_minute = ... }), got %s", key, describe(v, s.secret))
		return false
	}
	good := true
	for i, el := range list {
		switch el.(type) {
		case string:
		case map[string]any:
			good = checkSubTable(indexKey(key, i), el, s, ps) && good
		default:
			ps.addAt(indexKey(key, i), "%s entries must be strings or tables, got %s", key, describe(el, s.secret))
			good = false
		}
	}
	return good
}
