package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// openAIChunk is head with the given choices; on include_usage streams every
// chunk but the usage one carries "usage": null.
func openAIChunk[C openaiwire.ChunkChoice | openaiwire.TextChoice](head openAIFrame[C], includeUsage bool, choices ...C) openAIFrame[C] {
	head.Choices = choices
	head.Usage.Null = includeUsage
	return head
}

// endOpenAIStream writes the usage chunk (include_usage only) and [DONE].
func endOpenAIStream[C openaiwire.ChunkChoice | openaiwire.TextChoice](sw *streamWriter, head openAIFrame[C], includeUsage bool, u domain.Usage) error {
	if includeUsage {
		head.Choices = []C{}
		head.Usage = openaiwire.UsageCounts(openAIUsageOf(u))
		if err := sw.sse("", &head); err != nil {
			return err
		}
	}
	return sw.raw(doneFrame)
}

// chatStream renders chat.completion.chunk SSE.
type chatStream struct {
	sw           *streamWriter
	req          domain.ChatRequest
	head         chatChunk
	includeUsage bool
	roleSent     bool
	sentCalls    bool
	// contentHead and contentTail surround the JSON string of a
	// content-only chunk; rendered once per stream (see contentChunk).
	contentHead, contentTail []byte
}

// chunk writes one chunk with a single choice.
func (o *chatStream) chunk(d openaiwire.Delta, finish *string) error {
	ch := openAIChunk(o.head, o.includeUsage, openaiwire.ChunkChoice{Delta: d, FinishReason: finish})
	return o.sw.sse("", &ch)
}

// role renders the role-first chunk once; it goes out with the next frame.
func (o *chatStream) role() error {
	if o.roleSent {
		return nil
	}
	o.roleSent = true
	ch := openAIChunk(o.head, o.includeUsage, openaiwire.ChunkChoice{Delta: openaiwire.Delta{Role: "assistant", Content: new(openaiwire.Text)}})
	return o.sw.hold("", &ch)
}

// contentMarker stands for the content while a chunk's frame is rendered.
const contentMarker = "\x00chorus-content\x00"

// contentChunk writes a content-only chunk, the most frequent frame, as the
// bytes chunk(openaiwire.Delta{Content: &text}, nil) writes, without reflection:
// the frame around the content is rendered once per stream by the same
// encoder (with a marker for the content) and only the text is escaped.
func (o *chatStream) contentChunk(text string) error {
	if o.contentHead == nil {
		if err := o.renderContentFrame(); err != nil {
			return err
		}
	}
	sw := o.sw
	sw.begin()
	sw.buf.Write(o.contentHead)
	sw.buf.Write(appendJSONString(sw.buf.AvailableBuffer(), text))
	sw.buf.Write(o.contentTail)
	return sw.write()
}

// renderContentFrame splits a rendered content chunk around its content.
func (o *chatStream) renderContentFrame() error {
	marker := contentMarker
	ch := openAIChunk(o.head, o.includeUsage, openaiwire.ChunkChoice{Delta: openaiwire.Delta{Content: openaiwire.TextOf(&marker)}})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&ch); err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	frame := b.Bytes()
	quoted := appendJSONString(nil, marker)
	i := bytes.LastIndex(frame, quoted)
	if i < 0 {
		return errors.New("encode event: content marker not found")
	}
	o.contentHead = append([]byte("data: "), frame[:i]...)
	o.contentTail = append(append([]byte(nil), frame[i+len(quoted):]...), '\n')
	return nil
}

// answeredBy makes the chunks from now on name model, when set (a
// fallback may answer instead of the requested model).
func (o *chatStream) answeredBy(model string) {
	if model != "" && model != o.head.Model {
		o.head.Model = model
		o.contentHead, o.contentTail = nil, nil // rendered with the old name
	}
}

func (o *chatStream) event(ev domain.StreamEvent) error {
	o.answeredBy(ev.Model)
	if err := o.role(); err != nil {
		return err
	}
	if ev.KeepAlive {
		return o.sw.raw(keepAliveFrame)
	}
	if ev.Delta.Text != "" && ev.Delta.Reasoning == "" && len(ev.Delta.ToolCalls) == 0 {
		return o.contentChunk(ev.Delta.Text)
	}
	d := openaiwire.Delta{Reasoning: openaiwire.Reasoning{ReasoningContent: openaiwire.Text(ev.Delta.Reasoning)}}
	if ev.Delta.Text != "" {
		d.Content = openaiwire.TextOf(&ev.Delta.Text)
	}
	if len(ev.Delta.ToolCalls) > 0 {
		o.sentCalls = true
		d.ToolCalls = toolCallFragments(ev.Delta.ToolCalls)
	}
	if d.Content == nil && d.ReasoningContent == "" && d.ToolCalls == nil {
		return nil
	}
	return o.chunk(d, nil)
}

func (o *chatStream) finish(res domain.ChatResult) error {
	o.answeredBy(res.Model)
	if err := o.role(); err != nil {
		return err
	}
	if !o.sentCalls && len(res.ToolCalls) > 0 {
		if err := o.chunk(openaiwire.Delta{ToolCalls: chatToolCalls(res.ToolCalls, true)}, nil); err != nil {
			return err
		}
	}
	reason := finishReason(res)
	final := openAIChunk(o.head, o.includeUsage, openaiwire.ChunkChoice{Delta: openaiwire.Delta{}, FinishReason: &reason})
	final.Workflow = workflowFrom(o.req, res.Trace)
	if err := o.sw.sse("", &final); err != nil {
		return err
	}
	return endOpenAIStream(o.sw, o.head, o.includeUsage, res.Usage)
}

func (o *chatStream) fail(he httpError) error {
	return o.sw.sse("", he.openAI())
}

// textStream renders text_completion SSE chunks.
type textStream struct {
	sw           *streamWriter
	req          domain.ChatRequest
	head         textCompletion
	includeUsage bool
}

func (o *textStream) chunk(text string, finish *string) textCompletion {
	return openAIChunk(o.head, o.includeUsage, openaiwire.TextChoice{Text: text, FinishReason: finish})
}

func (o *textStream) event(ev domain.StreamEvent) error {
	if ev.Model != "" {
		o.head.Model = ev.Model // a fallback may answer
	}
	if ev.KeepAlive {
		return o.sw.raw(keepAliveFrame)
	}
	if ev.Delta.Text == "" {
		return nil
	}
	ch := o.chunk(ev.Delta.Text, nil)
	return o.sw.sse("", &ch)
}

func (o *textStream) finish(res domain.ChatResult) error {
	if res.Model != "" {
		o.head.Model = res.Model
	}
	reason := textFinishReason(res)
	final := o.chunk("", &reason)
	final.Workflow = workflowFrom(o.req, res.Trace)
	if err := o.sw.sse("", &final); err != nil {
		return err
	}
	return endOpenAIStream(o.sw, o.head, o.includeUsage, res.Usage)
}

func (o *textStream) fail(he httpError) error {
	return o.sw.sse("", he.openAI())
}
