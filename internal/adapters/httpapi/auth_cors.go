package httpapi

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openPaths skip authentication: probes and scrapers carry no key.
var openPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// authenticate requires "Authorization: Bearer <key>" when keys are configured.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(s.opts.APIKeys) == 0 || openPaths[c.Request().URL.Path] {
			return next(c)
		}
		if !s.validKey(c.Request().Header.Get(echo.HeaderAuthorization)) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="chorus"`)
			return errUnauthorized
		}
		return next(c)
	}
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

// cors allows any origin, method and header (as the original did) and
// answers preflight requests itself, before authentication.
func cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req, h := c.Request(), c.Response().Header()
		h.Set(echo.HeaderAccessControlAllowOrigin, "*")
		h.Set(echo.HeaderAccessControlExposeHeaders, headerRequestID+", "+headerCache+", Retry-After")
		if req.Method != http.MethodOptions || req.Header.Get(echo.HeaderAccessControlRequestMethod) == "" {
			return next(c)
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
