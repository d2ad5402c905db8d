package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// responses serves POST /v1/responses.
func (s *Server) responses(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	req, settings, err := decodeResponses(body)
	if err != nil {
		return err
	}
	if err := applyProgress(c, &req); err != nil {
		return err
	}
	noteRequest(c, req)
	head := responseObject{Response: openaiwire.Response{ID: s.ids.next("resp_"), Object: "response", CreatedAt: s.now().Unix(),
		Status: "in_progress", Model: req.Model, Output: []openaiwire.OutputItem{}, ResponseSettings: settings}}
	msgID := s.ids.next("msg_")
	if req.Stream {
		sw := newStreamWriter(c, mimeSSE)
		return s.runStream(c, req, sw, &responsesStream{s: s, sw: sw, req: req, head: head, msgID: msgID})
	}
	res, err := s.complete(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.completedResponse(head, msgID, req, res))
}

// completedResponse fills the response object from a finished result.
func (s *Server) completedResponse(head responseObject, msgID string, req domain.ChatRequest, res domain.ChatResult) *responseObject {
	r := head
	r.Status = "completed"
	r.Model = res.Model // a fallback may have answered
	r.Output = s.responseOutput(msgID, res)
	r.OutputText = res.Text
	r.Usage = responseUsageOf(res.Usage)
	r.Workflow = workflowFrom(req, res.Trace)
	return &r
}

// responsesStream renders the typed Responses event sequence.
type responsesStream struct {
	s       *Server
	sw      *streamWriter
	req     domain.ChatRequest
	head    responseObject
	msgID   string
	seq     int
	opened  bool                // created and in_progress were sent
	msgOpen bool                // the message item was added
	msgIdx  int                 // its output_index: 1 after a reasoning item
	rs      *responsesReasoning // nil until reasoning arrives
	text    strings.Builder
	zero    int
	nothing []string
}

// emit writes one event with the next sequence number.
func (o *responsesStream) emit(ev responseEvent) error {
	ev.SequenceNumber = o.seq
	o.seq++
	return o.sw.sse(ev.Type, &ev)
}

// open sends created and in_progress.
func (o *responsesStream) open() error {
	if o.opened {
		return nil
	}
	o.opened = true
	head := o.head
	for _, ev := range []responseEvent{
		{Type: "response.created", Response: &head},
		{Type: "response.in_progress", Response: &head},
	} {
		if err := o.emit(ev); err != nil {
			return err
		}
	}
	return nil
}

// openMessage ends the reasoning item, if any, and sends the message's
// output_item.added and content_part.added.
func (o *responsesStream) openMessage() error {
	if err := o.open(); err != nil {
		return err
	}
	if o.msgOpen {
		return nil
	}
	if err := o.closeReasoning(); err != nil {
		return err
	}
	o.msgOpen = true
	if o.rs != nil {
		o.msgIdx = 1
	}
	item := openaiwire.OutputItem{Type: "message", ID: o.msgID, Status: "in_progress", Role: "assistant", Content: []openaiwire.Part{}}
	part := openaiwire.OutputText("")
	for _, ev := range []responseEvent{
		{Type: "response.output_item.added", OutputIndex: &o.msgIdx, Item: &item},
		{Type: "response.content_part.added", ItemID: o.msgID, OutputIndex: &o.msgIdx, ContentIndex: &o.zero, Part: &part},
	} {
		if err := o.emit(ev); err != nil {
			return err
		}
	}
	return nil
}

func (o *responsesStream) event(ev domain.StreamEvent) error {
	if ev.Model != "" {
		o.head.Model = ev.Model // a fallback may answer; created names it when it is first
	}
	if err := o.open(); err != nil {
		return err
	}
	if ev.KeepAlive {
		return o.sw.raw(keepAliveFrame)
	}
	if ev.Delta.Reasoning != "" {
		if err := o.reason(ev.Delta.Reasoning); err != nil {
			return err
		}
	}
	if ev.Delta.Text == "" {
		return nil
	}
	if err := o.openMessage(); err != nil {
		return err
	}
	o.text.WriteString(ev.Delta.Text)
	return o.emit(responseEvent{Type: "response.output_text.delta", ItemID: o.msgID, OutputIndex: &o.msgIdx,
		ContentIndex: &o.zero, Delta: &ev.Delta.Text, Logprobs: o.logprobs()})
}

// logprobs returns an empty, non-nil list so "logprobs": [] is always sent.
func (o *responsesStream) logprobs() *[]string {
	if o.nothing == nil {
		o.nothing = []string{}
	}
	return &o.nothing
}

func (o *responsesStream) finish(res domain.ChatResult) error {
	if err := o.openMessage(); err != nil {
		return err
	}
	if res.Text == "" {
		res.Text = o.text.String()
	}
	res.Reasoning = "" // what was streamed is the reasoning item, added below
	text := res.Text
	part := openaiwire.OutputText(text)
	item := openaiwire.OutputItem{Type: "message", ID: o.msgID, Status: "completed", Role: "assistant", Content: []openaiwire.Part{part}}
	events := []responseEvent{
		{Type: "response.output_text.done", ItemID: o.msgID, OutputIndex: &o.msgIdx, ContentIndex: &o.zero, Text: &text, Logprobs: o.logprobs()},
		{Type: "response.content_part.done", ItemID: o.msgID, OutputIndex: &o.msgIdx, ContentIndex: &o.zero, Part: &part},
		{Type: "response.output_item.done", OutputIndex: &o.msgIdx, Item: &item},
	}
	final := o.s.completedResponse(o.head, o.msgID, o.req, res)
	// The message item is always open on a stream, so it stays in the output.
	if len(final.Output) == 0 || final.Output[0].Type != "message" {
		final.Output = append([]openaiwire.OutputItem{item}, final.Output...)
	}
	if o.rs != nil {
		final.Output = append([]openaiwire.OutputItem{o.reasoningDone()}, final.Output...)
	}
	for i := o.msgIdx + 1; i < len(final.Output); i++ {
		fc := final.Output[i]
		idx := i
		events = append(events,
			responseEvent{Type: "response.output_item.added", OutputIndex: &idx, Item: &openaiwire.OutputItem{
				Type: fc.Type, ID: fc.ID, Status: "in_progress", CallID: fc.CallID, Name: fc.Name, Arguments: new(string)}},
			// Calls are sent once complete (the workflow picks finished
			// calls; passthrough fragments are gathered), so one delta
			// carries the arguments before the done event.
			responseEvent{Type: "response.function_call_arguments.delta", ItemID: fc.ID, OutputIndex: &idx, Delta: fc.Arguments},
			responseEvent{Type: "response.function_call_arguments.done", ItemID: fc.ID, OutputIndex: &idx, Name: fc.Name, Arguments: fc.Arguments},
			responseEvent{Type: "response.output_item.done", OutputIndex: &idx, Item: &final.Output[i]},
		)
	}
	events = append(events, responseEvent{Type: "response.completed", Response: final})
	for _, ev := range events {
		if err := o.emit(ev); err != nil {
			return err
		}
	}
	return nil
}

func (o *responsesStream) fail(he httpError) error {
	ev := openaiwire.ResponseErrorEvent{Type: "error", SequenceNumber: o.seq, Code: he.code, Message: he.msg}
	o.seq++
	if err := o.sw.sse(ev.Type, &ev); err != nil {
		return err
	}
	failed := o.head
	failed.Status = "failed"
	failed.OutputText = o.text.String()
	failed.Error = &openaiwire.ResponseError{Code: responseErrorCode(he), Message: he.msg}
	return o.emit(responseEvent{Type: "response.failed", Response: &failed})
}
