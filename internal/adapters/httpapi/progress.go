package httpapi

import (
	"bytes"
	"encoding/json"

	"github.com/labstack/echo/v4"

	"github.com/chorus-ai/chorus/internal/domain"
)

// progressHeader lets any client, whatever its wire format, choose whether
// a workflow answer carries progress lines in the reasoning channel:
// "reasoning" or "off". A header rather than a body field because clients
// that cannot add body fields (chat apps, proxies) can usually add headers,
// and because it means the same on every route.
const progressHeader = "X-Chorus-Progress"

// applyProgress sets the request's progress choice from the header, which
// wins over what the body said (Ollama's think).
func applyProgress(c echo.Context, req *domain.ChatRequest) error {
	v := c.Request().Header.Get(progressHeader)
	if v == "" {
		return nil
	}
	p, ok := domain.ParseProgress(v)
	if !ok {
		return badRequest("%s must be \"reasoning\" or \"off\"", progressHeader)
	}
	req.Progress = p
	return nil
}

// thinkProgress reads Ollama's think: absent or null defers to the
// configuration, false is off, true or a level ("high") asks for the lines.
func thinkProgress(raw json.RawMessage) domain.Progress {
	switch t := bytes.TrimSpace(raw); {
	case len(t) == 0, bytes.Equal(t, []byte("null")):
		return domain.ProgressDefault
	case bytes.Equal(t, []byte("false")):
		return domain.ProgressOff
	}
	return domain.ProgressReasoning
}
