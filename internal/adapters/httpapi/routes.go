package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chorus-ai/chorus/api"
)

// routes registers every route, grouped by API family.
func (s *Server) routes() {
	e := s.echo
	// Ollama
	s.get("/", s.root)
	e.POST("/api/generate", s.ollamaGenerate)
	e.POST("/api/chat", s.ollamaChat)
	s.get("/api/tags", s.tags)
	s.get("/api/version", s.version)
	e.POST("/api/show", s.show)
	s.get("/api/ps", s.ps)
	// OpenAI
	e.POST("/v1/completions", s.completions)
	e.POST("/v1/chat/completions", s.chatCompletions)
	e.POST("/v1/responses", s.responses)
	s.get("/v1/models", s.models)
	s.get("/v1/models/*", s.model)
	// Operations (/metrics and /debug/pprof are on the admin listener: NewAdmin)
	s.get("/healthz", s.healthz)
	s.get("/readyz", s.readyz)
	s.get("/openapi.yaml", s.openapi)
	if s.opts.UI != nil {
		ui := echo.WrapHandler(s.opts.UI)
		s.get("/ui", ui)
		s.get("/ui/*", ui)
	}
}

// get registers a GET route that also answers HEAD.
func (s *Server) get(path string, h echo.HandlerFunc) {
	s.echo.GET(path, h)
	s.echo.HEAD(path, h)
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if !s.opts.Ready() {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "draining"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) openapi(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", api.Spec)
}
