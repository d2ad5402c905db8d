package httpapi

import (
	"github.com/labstack/echo/v4"
)

// closeChunked makes net/http close the connection after answering a request
// with a chunked body. RFC 9112 §6.3: a request carrying both Content-Length
// and Transfer-Encoding may be a smuggling attempt (a front proxy may have
// framed it by the length), and the server must close the connection after
// responding. net/http drops the Content-Length of a chunked request before
// any handler runs, so the two cases cannot be told apart here; closing
// after every chunked request is always allowed and costs little, since API
// clients (the SDKs, curl -d) send a Content-Length.
func closeChunked(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(c.Request().TransferEncoding) > 0 {
			c.Response().Header().Set(echo.HeaderConnection, "close")
		}
		return next(c)
	}
}
