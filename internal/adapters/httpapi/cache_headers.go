package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chorus-ai/chorus/internal/domain"
)

// headerCache is both the per-request choice (X-Chorus-Cache: yes or no)
// and the answer's report (X-Chorus-Cache: hit or miss). A header, not a
// body field: it works alike on every route of the three protocols, and the
// official SDKs send extra headers per request but reject or drop unknown
// body fields.
const headerCache = "X-Chorus-Cache"

// cachePolicy applies the client's cache wishes to req when the answer
// cache is on: Cache-Control no-store (or no-cache) and X-Chorus-Cache: no
// bypass it; with [cache] opt_in only X-Chorus-Cache: yes uses it.
// Otherwise the answer reports hit or miss in X-Chorus-Cache.
func (s *Server) cachePolicy(c echo.Context, req *domain.ChatRequest) {
	if !s.opts.Cache {
		return
	}
	h := c.Request().Header
	cc := strings.ToLower(h.Get(echo.HeaderCacheControl))
	switch strings.ToLower(strings.TrimSpace(h.Get(headerCache))) {
	case "no", "off", "bypass", "false", "0":
		req.CacheBypass = true
	case "yes", "on", "use", "true", "1":
	default:
		req.CacheBypass = s.opts.CacheOptIn
	}
	if strings.Contains(cc, "no-store") || strings.Contains(cc, "no-cache") {
		req.CacheBypass = true
	}
	resp := c.Response()
	req.OnCache = func(hit bool) {
		v := "miss"
		if hit {
			v = "hit"
		}
		resp.Header().Set(headerCache, v)
	}
}
