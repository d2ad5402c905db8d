package httpapi

import (
	"strings"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
)

// responsesReasoning is the reasoning output item of a Responses stream:
// workflow progress lines and upstream thinking, sent as one summary_text
// part before the message item, as the official event sequence has it
// (output_item.added, reasoning_summary_part.added,
// reasoning_summary_text.delta…, reasoning_summary_text.done,
// reasoning_summary_part.done, output_item.done).
type responsesReasoning struct {
	id   string
	text strings.Builder
	done bool
}

// reasoningItem is a reasoning output item with one summary part (none
// while text is "" and the item only opens).
func reasoningItem(id, status, text string) openaiwire.OutputItem {
	item := openaiwire.OutputItem{Type: "reasoning", ID: id, Status: status, Summary: []openaiwire.Part{}}
	if text != "" {
		item.Summary = append(item.Summary, summaryText(text))
	}
	return item
}

func summaryText(text string) openaiwire.Part {
	return openaiwire.Part{Type: "summary_text", Text: text}
}

// reason streams reasoning text, opening the reasoning item (always output
// 0) on the first call. Reasoning that arrives once the message item is
// open has no place left in the sequence and is dropped.
func (o *responsesStream) reason(text string) error {
	if o.msgOpen {
		return nil
	}
	if o.rs == nil {
		o.rs = &responsesReasoning{id: o.s.ids.next("rs_")}
		item := reasoningItem(o.rs.id, "in_progress", "")
		part := summaryText("")
		for _, ev := range []responseEvent{
			{Type: "response.output_item.added", OutputIndex: &o.zero, Item: &item},
			{Type: "response.reasoning_summary_part.added", ItemID: o.rs.id, OutputIndex: &o.zero, SummaryIndex: &o.zero, Part: &part},
		} {
			if err := o.emit(ev); err != nil {
				return err
			}
		}
	}
	o.rs.text.WriteString(text)
	return o.emit(responseEvent{Type: "response.reasoning_summary_text.delta", ItemID: o.rs.id, OutputIndex: &o.zero,
		SummaryIndex: &o.zero, Delta: &text})
}

// closeReasoning ends the reasoning item, if one is open.
func (o *responsesStream) closeReasoning() error {
	if o.rs == nil || o.rs.done {
		return nil
	}
	o.rs.done = true
	text := o.rs.text.String()
	part := summaryText(text)
	item := o.reasoningDone()
	for _, ev := range []responseEvent{
		{Type: "response.reasoning_summary_text.done", ItemID: o.rs.id, OutputIndex: &o.zero, SummaryIndex: &o.zero, Text: &text},
		{Type: "response.reasoning_summary_part.done", ItemID: o.rs.id, OutputIndex: &o.zero, SummaryIndex: &o.zero, Part: &part},
		{Type: "response.output_item.done", OutputIndex: &o.zero, Item: &item},
	} {
		if err := o.emit(ev); err != nil {
			return err
		}
	}
	return nil
}

// reasoningDone is the completed reasoning item, for output_item.done and
// the final response's output.
func (o *responsesStream) reasoningDone() openaiwire.OutputItem {
	return reasoningItem(o.rs.id, "completed", o.rs.text.String())
}
