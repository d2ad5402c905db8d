package httpapi

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// errUnsupportedMediaType is a POST body that is not declared as JSON.
var errUnsupportedMediaType = errors.New("unsupported Content-Type: send the body as application/json")

// guardContentType refuses, with 415, POST bodies a web page of another site
// could send without a CORS preflight. Browsers send three "simple" body
// types cross-site without asking: text/plain, multipart/form-data and
// application/x-www-form-urlencoded (and a body with no type). The rule:
//
//   - application/json (any parameters) and application/*+json pass;
//   - no Content-Type and application/x-www-form-urlencoded pass only when
//     the request does not come from a page of a disallowed origin (no
//     Origin header, or an allowed one): Ollama's docs and the README use
//     `curl -d '{...}'`, which sends the form type and no Origin, and
//     several Ollama clients send no type at all;
//   - every other type (text/plain, multipart/form-data, ...) is refused,
//     since no JSON client sends them.
//
// A JSON body from another site's page needs a preflight, which cors answers
// without allowance unless [server] cors_origins lists the site.
func (s *Server) guardContentType(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodPost {
			return next(c)
		}
		mt := mediaType(req.Header.Get(echo.HeaderContentType))
		switch {
		case mt == "application/json", strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"):
			return next(c)
		case mt == "" || mt == "application/x-www-form-urlencoded":
			if origin := req.Header.Get(echo.HeaderOrigin); origin == "" || s.originAllowed(origin, req.Host) {
				return next(c)
			}
		}
		return errUnsupportedMediaType
	}
}

// mediaType returns the lower-case media type without parameters; a value
// that does not parse is returned trimmed so it fails every comparison.
func mediaType(v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(v)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(v)) + ";invalid"
	}
	return mt
}
