package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// doneMarker ends an OpenAI stream.
var doneMarker = []byte("[DONE]")

// relay accumulates a streamed completion while forwarding its deltas.
type relay struct {
	emit func(domain.Delta) error
	upstream.Answer
	done  bool
	chunk chunkBody
	// content is where the fast decoder puts each chunk's content.
	content wire.Text
}

// run reads SSE events until [DONE] or the end of the body; maxEvent
// bounds one event (0: the default).
func (r *relay) run(ctx context.Context, ep *upstream.Endpoint, body io.Reader, maxEvent int) error {
	sse := upstream.NewSSEReader(body, maxEvent)
	defer sse.Release()
	for !r.done {
		data, err := sse.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		data = bytes.TrimSpace(data)
		if len(data) == 0 {
			continue
		}
		if ep != nil {
			ep.LogStreamData(data)
		}
		if err := r.event(data); err != nil {
			return err
		}
	}
	if !r.done && r.Finish == "" {
		return upstream.BadResponse("stream ended early", io.ErrUnexpectedEOF)
	}
	return nil
}

// event handles one event's data; a payload that is not JSON as a whole is
// retried line by line (servers that omit the blank line between events).
func (r *relay) event(data []byte) error {
	if bytes.Equal(data, doneMarker) {
		r.done = true
		return nil
	}
	r.resetChunk()
	if fastDecodeChunk(data, &r.chunk, &r.content) {
		return r.apply()
	}
	r.resetChunk()
	err := json.Unmarshal(data, &r.chunk)
	if err == nil {
		return r.apply()
	}
	if bytes.IndexByte(data, '\n') < 0 {
		return upstream.BadResponse("invalid stream chunk: "+err.Error(), err)
	}
	for line := range bytes.Lines(data) {
		if err := r.event(bytes.TrimSpace(line)); err != nil {
			return err
		}
	}
	return nil
}

// resetChunk clears the decode target, keeping the choices' backing array
// (encoding/json decodes into existing elements without zeroing them).
func (r *relay) resetChunk() {
	choices := r.chunk.Choices[:cap(r.chunk.Choices)]
	for i := range choices {
		choices[i] = wire.ChunkChoice{}
	}
	r.chunk = chunkBody{}
	r.chunk.Choices = choices[:0]
}

// apply folds the decoded chunk into the result and emits its delta.
func (r *relay) apply() error {
	r.Events++
	c := &r.chunk
	if lerr := upstream.ErrorField(c.Error); lerr != nil {
		return lerr
	}
	if c.Usage.Usage != nil {
		r.Usage = usageOf(c.Usage.Usage)
	}
	if len(c.Choices) == 0 {
		return nil
	}
	ch := &c.Choices[0]
	d := toDelta(ch.Delta.Content, ch.Text, &ch.Delta.Reasoning, ch.Delta.ToolCalls, true)
	if ch.FinishReason != nil {
		d.FinishReason = *ch.FinishReason
	}
	if err := r.Keep(d); err != nil {
		return err
	}
	for _, tc := range d.ToolCalls {
		r.mergeCall(tc)
	}
	r.Text.WriteString(d.Text)
	r.Reasoning.WriteString(d.Reasoning)
	if d.FinishReason != "" {
		r.Finish = d.FinishReason
	}
	if d.Text == "" && d.Reasoning == "" && len(d.ToolCalls) == 0 && d.FinishReason == "" {
		return nil
	}
	if err := r.emit(d); err != nil {
		return upstream.EmitError{Err: err}
	}
	return nil
}

// mergeCall adds a tool-call fragment to the call with the same index.
func (r *relay) mergeCall(f domain.ToolCall) {
	for i := range r.Calls {
		c := &r.Calls[i]
		if c.Index != f.Index {
			continue
		}
		if c.ID == "" {
			c.ID = f.ID
		}
		if c.Name == "" {
			c.Name = f.Name
		}
		c.Arguments += f.Arguments
		return
	}
	r.Calls = append(r.Calls, f)
}
