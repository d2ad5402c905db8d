// Package ui serves the playground: one static page (HTML, CSS and plain
// JavaScript modules embedded in the binary) that chats with Chorus through
// its own public API and draws the workflow of each answer. The page uses
// relative URLs only, so it works offline and behind a reverse-proxy path
// prefix, and holds no secret: with api_keys configured it asks for a key
// and keeps it in the browser's session storage.
package ui

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed assets
var assets embed.FS

// Prefix is where the page is mounted.
const Prefix = "/ui/"

// Handler serves GET /ui (redirected to /ui/) and the files under /ui/.
func Handler() http.Handler {
	files, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	static := http.StripPrefix(Prefix, http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, Prefix) {
			// A relative target keeps a reverse proxy's path prefix
			// (http.Redirect would make it "/ui/", dropping the prefix).
			w.Header().Set("Location", "ui/")
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		// Everything the page needs is its own: no CDN, font or inline script.
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
		static.ServeHTTP(w, r)
	})
}

// IsPath reports whether an URL path belongs to the page (its static files
// are served without authentication; the API calls it makes are not).
func IsPath(path string) bool {
	return path == "/ui" || strings.HasPrefix(path, Prefix)
}
