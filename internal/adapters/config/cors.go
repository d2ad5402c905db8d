package config

import (
	"net/url"
	"strings"
)

// toCORSOrigins checks [server] cors_origins: "*" or origins written as a
// browser sends them (scheme://host[:port], no path), so a typo cannot
// silently allow nothing.
func toCORSOrigins(list []string, ps *problems) []string {
	out := make([]string, 0, len(list))
	for i, o := range list {
		o = strings.TrimSpace(o)
		key := indexKey("server.cors_origins", i)
		if o == "*" {
			out = append(out, o)
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			ps.addAt(key, "%s must be \"*\" or an origin such as \"https://app.example.com\" (scheme, host, optional port; no path), got %q", key, o)
			continue
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out
}
