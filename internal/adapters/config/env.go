package config

import (
	"os"
	"regexp"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// envRef matches a value written as ${NAME}.
var envRef = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)

// envLookup reads one environment variable and says whether it is set.
type envLookup func(string) (string, bool)

// lookupOf picks the environment reader of opts: LookupEnv, else one built
// on Getenv (which cannot tell "empty" from "unset"), else os.LookupEnv.
func lookupOf(opts LoadOptions) envLookup {
	switch {
	case opts.LookupEnv != nil:
		return opts.LookupEnv
	case opts.Getenv != nil:
		get := opts.Getenv
		return func(k string) (string, bool) {
			v := get(k)
			return v, v != ""
		}
	}
	return os.LookupEnv
}

// expandSecret resolves a ${NAME} reference from env. A missing or empty
// variable is reported by name only: the message never contains a value.
func expandSecret(raw maskedText, env envLookup, where string, ps *problems, key string) domain.Secret {
	s := strings.TrimSpace(string(raw))
	m := envRef.FindStringSubmatch(s)
	if m == nil {
		return domain.NewSecret(s)
	}
	v, set := env(m[1])
	if strings.TrimSpace(v) == "" {
		state := "is not set"
		if set {
			state = "is set but empty"
		}
		if ps.lenientEnv {
			ps.warn("%s refers to environment variable %s, which %s here; serving needs it", where, m[1], state)
		} else {
			ps.addAt(key, "%s refers to environment variable %s, which %s", where, m[1], state)
		}
	}
	return domain.NewSecret(v)
}

// apiKeysFromEnv parses CHORUS_API_KEYS (comma-separated); ok is false when
// the variable is unset or empty so the file's [server] api_keys apply. A
// value that holds no key at all ("," or " , ") is a problem rather than
// "no keys": it would replace the file's keys with none and silently switch
// inbound auth off, while ignoring it would keep auth the operator meant to
// change; refusing to start makes the mistake visible at once.
func apiKeysFromEnv(env envLookup, ps *problems) ([]maskedText, bool) {
	v, _ := env("CHORUS_API_KEYS")
	if v == "" {
		return nil, false
	}
	var keys []maskedText
	for part := range strings.SplitSeq(v, ",") {
		if p := strings.TrimSpace(part); p != "" {
			keys = append(keys, maskedText(p))
		}
	}
	if len(keys) == 0 {
		ps.addAt("server.api_keys", "CHORUS_API_KEYS is set but holds no key (only commas or spaces); "+
			"unset it to use [server] api_keys, or give comma-separated keys")
		return nil, false
	}
	return keys, true
}
