package ollama

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	wire "github.com/chorus-ai/chorus/internal/adapters/wire/ollama"
	"github.com/chorus-ai/chorus/internal/domain"
)

// relay accumulates an answer from Ollama objects while forwarding deltas.
type relay struct {
	emit func(domain.Delta) error
	upstream.Answer
	done bool
	obj  answerObject
}

// answerObject is the part of a wire.Chunk the client reads. Decoding only
// these fields (by value) skips model and created_at and allocates no
// message or stats per NDJSON line, which the relay benchmark measures.
type answerObject struct {
	Message wire.Message `json:"message"`
	Done    bool         `json:"done"`
	wire.Stats
	Error json.RawMessage `json:"error"`
}

// doneReason is the last object's done_reason ("" before the final one).
func (r *relay) doneReason() string {
	return r.obj.DoneReason
}

// run reads NDJSON objects until one says done:true; maxLine bounds one
// line (0: the default).
func (r *relay) run(ctx context.Context, ep *upstream.Endpoint, body io.Reader, maxLine int) error {
	lines := upstream.NewNDJSONReader(body, maxLine)
	for !r.done {
		line, err := lines.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if ep != nil {
			ep.LogStreamData(line)
		}
		if err := r.object(line); err != nil {
			return err
		}
	}
	if !r.done {
		return upstream.BadResponse("stream ended early", io.ErrUnexpectedEOF)
	}
	return nil
}

// object decodes one JSON object and applies it.
func (r *relay) object(data []byte) error {
	r.obj = answerObject{}
	if err := json.Unmarshal(data, &r.obj); err != nil {
		return upstream.BadResponse("invalid JSON: "+err.Error(), err)
	}
	return r.apply()
}

// apply folds the decoded object into the result and emits its delta.
func (r *relay) apply() error {
	r.Events++
	o := &r.obj
	if lerr := upstream.ErrorField(o.Error); lerr != nil {
		return lerr
	}
	msg := &o.Message
	d := domain.Delta{Text: msg.Content, Reasoning: msg.Thinking}
	if n := len(msg.ToolCalls); n > 0 {
		d.ToolCalls = make([]domain.ToolCall, n)
		for i, tc := range msg.ToolCalls {
			d.ToolCalls[i] = toolCall(tc, len(r.Calls)+i)
		}
	}
	if err := r.Keep(d); err != nil {
		return err
	}
	r.Calls = append(r.Calls, d.ToolCalls...)
	r.Text.WriteString(d.Text)
	r.Reasoning.WriteString(d.Reasoning)
	if o.Done {
		r.done = true
		r.Finish = upstream.FinishReason(r.doneReason(), len(r.Calls) > 0)
		r.Usage = domain.Usage{InputTokens: o.PromptEvalCount, OutputTokens: o.EvalCount}
		d.FinishReason = r.Finish
	}
	if d.Text == "" && d.Reasoning == "" && len(d.ToolCalls) == 0 && d.FinishReason == "" {
		return nil
	}
	if err := r.emit(d); err != nil {
		return upstream.EmitError{Err: err}
	}
	return nil
}

// toolCall converts an Ollama call: object arguments become JSON text, and
// a missing id is derived from the call's position.
func toolCall(tc wire.ToolCall, pos int) domain.ToolCall {
	idx := pos
	if tc.Function.Index != nil {
		idx = *tc.Function.Index
	}
	id := tc.ID
	if id == "" {
		id = "call_" + strconv.Itoa(idx)
	}
	return domain.ToolCall{Index: idx, ID: id, Name: tc.Function.Name, Arguments: argsText(tc.Function.Arguments)}
}

// argsText renders arguments as compact JSON text; a JSON string (a
// provider that already sends text) is unquoted.
func argsText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "{}"
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}
