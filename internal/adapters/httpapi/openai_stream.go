package httpapi

import (
	"github.com/chorus-ai/chorus/internal/domain"
)

// nullUsage renders "usage": null on chunks of include_usage streams.
var nullUsage = (*openAIUsage)(nil)

// chatStream renders chat.completion.chunk SSE.
type chatStream struct {
	sw           *streamWriter
	req          domain.ChatRequest
	head         chatChunk
	includeUsage bool
	roleSent     bool
	sentCalls    bool
}

// chunk writes one chunk with a single choice.
func (o *chatStream) chunk(d chatDelta, finish *string) error {
	ch := o.head
	ch.Choices = []chatChunkChoice{{Delta: d, FinishReason: finish}}
	if o.includeUsage {
		ch.Usage = nullUsage
	}
	return o.sw.sse("", &ch)
}

// role sends the role-first chunk once.
func (o *chatStream) role() error {
	if o.roleSent {
		return nil
	}
	o.roleSent = true
	empty := ""
	return o.chunk(chatDelta{Role: "assistant", Content: &empty}, nil)
}

func (o *chatStream) event(ev domain.StreamEvent) error {
	if err := o.role(); err != nil {
		return err
	}
	if ev.KeepAlive {
		return o.sw.raw(keepAliveFrame)
	}
	d := chatDelta{ReasoningContent: ev.Delta.Reasoning}
	if ev.Delta.Text != "" {
		d.Content = &ev.Delta.Text
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
	if err := o.role(); err != nil {
		return err
	}
	if !o.sentCalls && len(res.ToolCalls) > 0 {
		if err := o.chunk(chatDelta{ToolCalls: chatToolCalls(res.ToolCalls, true)}, nil); err != nil {
			return err
		}
	}
	reason := finishReason(res)
	final := o.head
	final.Choices = []chatChunkChoice{{Delta: chatDelta{}, FinishReason: &reason}}
	final.Workflow = workflowFrom(o.req, res.Trace)
	if o.includeUsage {
		final.Usage = nullUsage
	}
	if err := o.sw.sse("", &final); err != nil {
		return err
	}
	if o.includeUsage {
		usage := o.head
		usage.Choices = []chatChunkChoice{}
		usage.Usage = openAIUsageOf(res.Usage)
		if err := o.sw.sse("", &usage); err != nil {
			return err
		}
	}
	return o.sw.raw(doneFrame)
}

func (o *chatStream) fail(he httpError) error {
	return o.sw.sse("", openAIErrorEvent{Error: errorObject{Message: he.msg, Type: he.typ, Code: he.code}})
}

// textStream renders text_completion SSE chunks.
type textStream struct {
	sw           *streamWriter
	req          domain.ChatRequest
	head         textCompletion
	includeUsage bool
}

func (o *textStream) chunk(text string, finish *string) textCompletion {
	ch := o.head
	ch.Choices = []textChoice{{Text: text, FinishReason: finish}}
	if o.includeUsage {
		ch.Usage = nullUsage
	}
	return ch
}

func (o *textStream) event(ev domain.StreamEvent) error {
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
	reason := finishReason(res)
	final := o.chunk("", &reason)
	final.Workflow = workflowFrom(o.req, res.Trace)
	if err := o.sw.sse("", &final); err != nil {
		return err
	}
	if o.includeUsage {
		usage := o.head
		usage.Choices = []textChoice{}
		usage.Usage = openAIUsageOf(res.Usage)
		if err := o.sw.sse("", &usage); err != nil {
			return err
		}
	}
	return o.sw.raw(doneFrame)
}

func (o *textStream) fail(he httpError) error {
	return o.sw.sse("", openAIErrorEvent{Error: errorObject{Message: he.msg, Type: he.typ, Code: he.code}})
}
