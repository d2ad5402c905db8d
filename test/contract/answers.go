package contract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// routeSchemas names the official schema of a route's whole answer and of
// each of its stream chunks or events.
type routeSchemas struct{ body, chunk string }

var (
	openAIRoutes = map[string]routeSchemas{
		"/v1/chat/completions": {"CreateChatCompletionResponse", "CreateChatCompletionStreamResponse"},
		"/v1/completions":      {"CreateCompletionResponse", CompletionChunkSchema},
		"/v1/responses":        {"Response", "ResponseStreamEvent"},
		"/v1/models":           {"ListModelsResponse", ""},
	}
	ollamaRoutes = map[string]routeSchemas{
		"/api/generate": {"GenerateResponse", "GenerateStreamEvent"},
		"/api/chat":     {"ChatResponse", "ChatStreamEvent"},
		"/api/tags":     {"ListResponse", ""},
		"/api/show":     {"ShowResponse", ""},
		"/api/ps":       {"PsResponse", ""},
		"/api/version":  {"VersionResponse", ""},
	}
)

// Answer is one HTTP answer of Chorus as a client saw it.
type Answer struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         []byte
	// Complete is false when the client stopped reading early (a canceled
	// stream): only the frames it received whole are checked.
	Complete bool
}

// CheckAnswer validates an answer of an OpenAI (/v1/*) or Ollama (/api/*)
// route, and every chunk or event of a stream, against the official
// documents: OpenAI's OpenAPI file, or Ollama's OpenAPI file plus the field
// types of the ollama-api.md examples. Errors must be the dialect's
// ErrorResponse (also in a stream). Chorus's own routes (health, metrics,
// the playground, the spec) are in neither document and pass.
func CheckAnswer(a Answer) error {
	if a.Method == http.MethodHead || len(a.Body) == 0 {
		return nil
	}
	c, routes, err := newAnswerChecker(a)
	if err != nil || c == nil {
		return err
	}
	schemas, known := routes[a.Path]
	if !known && strings.HasPrefix(a.Path, "/v1/models/") {
		schemas, known = routeSchemas{"Model", ""}, true
	}
	switch {
	case a.Status >= 400:
		return c.check("ErrorResponse", a.Body)
	case !known:
		return fmt.Errorf("%s %s → %d: no official schema is mapped for this route", a.Method, a.Path, a.Status)
	case !isStream(a.Header):
		if !a.Complete {
			return nil // a whole answer read in part cannot be checked
		}
		return c.check(schemas.body, a.Body)
	}
	return c.checkStream(schemas)
}

// answerChecker validates one answer against its dialect's document.
type answerChecker struct {
	a        Answer
	v        *Validator
	examples func(path string, body []byte) error
}

// newAnswerChecker picks the dialect of a's route; nil for Chorus's own
// routes, which are in neither document.
func newAnswerChecker(a Answer) (*answerChecker, map[string]routeSchemas, error) {
	c := &answerChecker{a: a, examples: func(string, []byte) error { return nil }}
	var routes map[string]routeSchemas
	var err error
	switch {
	case strings.HasPrefix(a.Path, "/v1/"):
		c.v, err = OpenAI()
		routes = openAIRoutes
	case strings.HasPrefix(a.Path, "/api/"):
		c.v, err = Ollama()
		routes, c.examples = ollamaRoutes, CheckOllamaExample
	default:
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return c, routes, nil
}

// check validates body against schema, and a success against the
// dialect's examples too.
func (c *answerChecker) check(schema string, body []byte) error {
	if err := c.v.Validate(schema, body); err != nil {
		return fmt.Errorf("%s %s → %d: %w (body %s)", c.a.Method, c.a.Path, c.a.Status, err, clip(body))
	}
	if schema == "ErrorResponse" {
		return nil
	}
	return c.examples(c.a.Path, body)
}

// checkStream validates every frame of a streamed answer: chunks, or the
// dialect's error object when a frame carries one.
func (c *answerChecker) checkStream(schemas routeSchemas) error {
	a := c.a
	var errs []error
	frames := streamFrames(a)
	for _, frame := range frames {
		var probe struct {
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(frame, &probe); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: stream frame is not JSON: %w (%s)", a.Method, a.Path, err, clip(frame)))
			continue
		}
		schema := schemas.chunk
		switch {
		case probe.Error != nil: // an in-stream error (Responses failures are typed events)
			schema = "ErrorResponse"
		case a.Path == "/v1/completions" && !unfinished(frame):
			schema = schemas.body // only unfinished chunks get the null finish_reason/usage
		}
		errs = append(errs, c.check(schema, frame))
	}
	if a.Path == "/v1/completions" && a.Complete {
		errs = append(errs, completionsFinish(frames))
	}
	return errors.Join(errs...)
}

func isStream(h http.Header) bool {
	ct := h.Get("Content-Type")
	return strings.HasPrefix(ct, "text/event-stream") || strings.HasPrefix(ct, "application/x-ndjson")
}

// streamFrames are the JSON objects of a stream: the data of each SSE event
// but [DONE], or the lines of an NDJSON body. A frame still being received
// when an incomplete read stopped is left out.
func streamFrames(a Answer) [][]byte {
	body := a.Body
	sse := strings.HasPrefix(a.Header.Get("Content-Type"), "text/event-stream")
	if !a.Complete {
		sep := []byte("\n")
		if sse {
			sep = []byte("\n\n")
		}
		if i := bytes.LastIndex(body, sep); i >= 0 {
			body = body[:i+len(sep)]
		} else {
			body = nil
		}
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if sse {
			data, ok := bytes.CutPrefix(line, []byte("data:"))
			if !ok {
				continue // event names, comments (keep-alives), blank separators
			}
			line = bytes.TrimSpace(data)
			if string(line) == "[DONE]" {
				continue
			}
		}
		if len(line) > 0 {
			out = append(out, bytes.Clone(line))
		}
	}
	return out
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
