package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Stream media types.
const (
	mimeNDJSON = "application/x-ndjson"
	mimeSSE    = "text/event-stream"
)

// streamWriter frames values onto a response, starting it lazily so an error
// before the first byte still gets a real HTTP status, and flushing after
// every frame. One buffer and encoder are reused for the whole stream. A
// held frame (see hold) goes out with the next one, in the same write.
type streamWriter struct {
	c       echo.Context
	mime    string
	buf     bytes.Buffer
	enc     *json.Encoder
	held    int // bytes at the start of buf waiting for the next frame
	started bool
}

func newStreamWriter(c echo.Context, mime string) *streamWriter {
	sw := &streamWriter{c: c, mime: mime}
	sw.enc = json.NewEncoder(&sw.buf)
	sw.enc.SetEscapeHTML(false)
	return sw
}

// start sends the headers once.
func (sw *streamWriter) start() {
	if sw.started {
		return
	}
	sw.started = true
	h := sw.c.Response().Header()
	h.Set(echo.HeaderContentType, sw.mime)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	sw.c.Response().WriteHeader(http.StatusOK)
}

// ndjson writes v as one line.
func (sw *streamWriter) ndjson(v any) error {
	sw.begin()
	if err := sw.enc.Encode(v); err != nil {
		return fmt.Errorf("encode chunk: %w", err)
	}
	return sw.write()
}

// sse writes v as an SSE event; an empty name writes a bare data event.
func (sw *streamWriter) sse(name string, v any) error {
	if err := sw.sseFrame(name, v); err != nil {
		return err
	}
	return sw.write()
}

// hold renders v as an SSE event that is written together with the next
// frame (the role chunk then travels with the first content).
func (sw *streamWriter) hold(name string, v any) error {
	if err := sw.sseFrame(name, v); err != nil {
		return err
	}
	sw.held = sw.buf.Len()
	return nil
}

// sseFrame renders v as an SSE event after the held bytes.
func (sw *streamWriter) sseFrame(name string, v any) error {
	sw.begin()
	if name != "" {
		sw.buf.WriteString("event: ")
		sw.buf.WriteString(name)
		sw.buf.WriteByte('\n')
	}
	sw.buf.WriteString("data: ")
	if err := sw.enc.Encode(v); err != nil { // Encode ends the line
		return fmt.Errorf("encode event: %w", err)
	}
	sw.buf.WriteByte('\n')
	return nil
}

// raw writes a literal frame such as "data: [DONE]\n\n".
func (sw *streamWriter) raw(frame string) error {
	sw.begin()
	sw.buf.WriteString(frame)
	return sw.write()
}

// begin drops what a failed frame left in the buffer, keeping held bytes.
func (sw *streamWriter) begin() { sw.buf.Truncate(sw.held) }

// keepAliveFrame is the SSE comment sent while the workflow is still working.
const keepAliveFrame = ": keep-alive\n\n"

// doneFrame ends OpenAI chat/completions streams.
const doneFrame = "data: [DONE]\n\n"

func (sw *streamWriter) write() error {
	sw.start()
	_, err := sw.c.Response().Write(sw.buf.Bytes())
	sw.buf.Reset()
	sw.held = 0
	if err != nil {
		return fmt.Errorf("write stream: %w", err)
	}
	sw.c.Response().Flush()
	return nil
}

// streamEncoder renders one wire format's stream.
type streamEncoder interface {
	// event renders a delta or keep-alive.
	event(ev domain.StreamEvent) error
	// finish renders the successful end.
	finish(res domain.ChatResult) error
	// fail renders an error after the stream started; never a clean end.
	fail(he httpError) error
}

// complete calls the gateway for a whole answer, noting the workflow id for
// the access log.
func (s *Server) complete(c echo.Context, req domain.ChatRequest) (domain.ChatResult, error) {
	s.cachePolicy(c, &req)
	res, err := s.opts.Gateway.Complete(c.Request().Context(), req)
	ri := infoOf(c)
	ri.workflowID, ri.tokens = res.WorkflowID, res.Usage.Total()
	if err == nil {
		setDegraded(c.Response().Header(), res.Trace)
	}
	return res, err
}

// runStream calls the gateway and renders its events. An error before the
// first frame goes to the error handler with its real status; after it, the
// error is written in-stream and returned only for logging.
func (s *Server) runStream(c echo.Context, req domain.ChatRequest, sw *streamWriter, enc streamEncoder) error {
	ctx := c.Request().Context()
	s.cachePolicy(c, &req)
	res, err := s.opts.Gateway.Stream(ctx, req, enc.event)
	ri := infoOf(c)
	ri.workflowID, ri.tokens = res.WorkflowID, res.Usage.Total()
	if err != nil {
		if !sw.started {
			return err
		}
		if ctx.Err() == nil || cutByShutdown(ctx) {
			if ferr := enc.fail(classifyRequest(c, err)); ferr != nil {
				return fmt.Errorf("%w (and writing it: %w)", err, ferr)
			}
		}
		return err
	}
	return enc.finish(res)
}

// wantsSSE reports whether an Ollama client asked for SSE instead of NDJSON.
func wantsSSE(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), mimeSSE)
}
