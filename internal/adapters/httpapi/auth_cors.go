package httpapi

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// openPaths skip authentication: probes carry no key. (Scrapers neither:
// /metrics is on the admin listener, see NewAdmin.)
var openPaths = map[string]bool{"/healthz": true, "/readyz": true}

// authenticate requires "Authorization: Bearer <key>" when keys are configured.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(s.opts.APIKeys) == 0 || openPaths[c.Request().URL.Path] || s.uiPath(c.Request().URL.Path) {
			return next(c)
		}
		if !s.validKey(c.Request().Header.Get(echo.HeaderAuthorization)) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="chorus"`)
			return errUnauthorized
		}
		return next(c)
	}
}

// uiPath reports a path of the playground's static files, which carry no
// key: the page asks for one and sends it with every API call.
func (s *Server) uiPath(path string) bool {
	return s.opts.UI != nil && (path == "/ui" || strings.HasPrefix(path, "/ui/"))
}

// validKey compares against every key in constant time, without early exit.
func (s *Server) validKey(header string) bool {
	token := bearerToken(header)
	if token == "" {
		return false
	}
	got := []byte(token)
	ok := 0
	for _, k := range s.opts.APIKeys {
		if k.IsSet() {
			ok |= subtle.ConstantTimeCompare(got, []byte(k.Reveal()))
		}
	}
	return ok == 1
}

// cors answers browsers by [server] cors_origins: by default no origin is
// allowed, so a web page of another site can neither read Chorus' answers
// nor send it a JSON request (the preflight gets no allowance). "*" allows
// every origin (the original's behavior). Preflights are answered here,
// before authentication.
func (s *Server) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req, h := c.Request(), c.Response().Header()
		origin := req.Header.Get(echo.HeaderOrigin)
		allowed := origin != "" && s.originAllowed(origin, req.Host)
		if origin != "" {
			h.Add(echo.HeaderVary, echo.HeaderOrigin)
		}
		if allowed {
			h.Set(echo.HeaderAccessControlAllowOrigin, s.allowOriginValue(origin))
			h.Set(echo.HeaderAccessControlExposeHeaders, headerRequestID+", "+headerCache+", Retry-After")
		}
		if req.Method != http.MethodOptions || req.Header.Get(echo.HeaderAccessControlRequestMethod) == "" {
			return next(c)
		}
		if !allowed {
			return c.NoContent(http.StatusNoContent) // no allowance: the browser refuses the request
		}
		h.Set(echo.HeaderAccessControlAllowMethods, "GET, HEAD, POST, OPTIONS")
		if hdrs := req.Header.Get(echo.HeaderAccessControlRequestHeaders); hdrs != "" {
			h.Set(echo.HeaderAccessControlAllowHeaders, hdrs)
		} else {
			h.Set(echo.HeaderAccessControlAllowHeaders, "*")
		}
		h.Set(echo.HeaderAccessControlMaxAge, "86400")
		return c.NoContent(http.StatusNoContent)
	}
}

// originAllowed reports whether a browser page of origin may use Chorus:
// it is Chorus' own (the /ui playground, same host), listed in
// CORSOrigins, or "*" is.
func (s *Server) originAllowed(origin, host string) bool {
	if u, err := url.Parse(origin); err == nil && host != "" && strings.EqualFold(u.Host, host) {
		return true
	}
	for _, o := range s.opts.CORSOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// allowOriginValue is "*" when every origin is allowed, else the origin.
func (s *Server) allowOriginValue(origin string) string {
	if slices.Contains(s.opts.CORSOrigins, "*") {
		return "*"
	}
	return origin
}
