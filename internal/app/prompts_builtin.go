package app

import "strings"

// The default prompts are rendered by hand: text/template's reflection was
// about a quarter of the engine's CPU per workflow. Each function writes
// exactly what its template in prompts_default.go renders (a test compares
// them over many inputs); overrides from [workflow.prompts] still go
// through text/template.

// Literal pieces of the default templates, between their actions.
const (
	analyzerHead = "Analyze the conversation below and recommend the sampling temperature, a number from 0.0 to 2.0, that will give the best answer to its last message.\n" +
		"Low values (0.0-0.5) suit precise, factual or deterministic work such as code, math, extraction or translation; middle values (0.6-1.0) suit explanations and everyday questions; high values (1.1-2.0) suit creative, open-ended or brainstorming tasks.\n" +
		"Also rate how hard the last message is to answer well: \"trivial\" (a greeting, a one-line fact, a simple rewrite that any capable model gets right), \"normal\", or \"hard\" (multi-step reasoning, tricky code or math, many constraints).\n\n" +
		"Conversation:\n"
	analyzerTail = "\n\nReply with only a JSON object and nothing else, shaped like:\n" +
		`{"temperature": 0.7, "task_type": "<one or two words>", "difficulty": "normal", "reasoning": "<one short sentence>"}` + "\n"

	selectorHead = "You are judging candidate answers to the conversation below. Choose the single best answer to its last message: the most correct, complete and helpful one. Judge the content only; length and style matter only where they hurt clarity.\n\n" +
		"Conversation:\n"
	selectorTail = "If every answer is flawed, choose the least flawed one.\n" +
		"Reply with only a JSON object and nothing else, shaped like:\n" +
		`{"choice": "<letter of the best response, e.g. A>", "reason": "<one short sentence naming the deciding strengths or flaws>"}` + "\n"

	synthesizerHead = "Write the best possible reply to the last message of the conversation below.\n\n" +
		"Conversation:\n"
	synthesizerBest   = "\n\nSeveral draft answers were prepared. The strongest draft is:\n\n=== "
	synthesizerReason = "\nWhy it was judged strongest: "
	synthesizerOthers = "\nOther drafts, to be used only as material to check against:\n"
	synthesizerTail   = "\nInstructions:\n" +
		"1. Start from the strongest draft and keep what is correct in it.\n" +
		"2. Check its claims critically against the other drafts and your own knowledge. Fix errors and fill real gaps, but do not copy anything blindly: drafts can be wrong, even when they agree.\n" +
		"3. Keep the answer clear, well structured and no longer than it needs to be.\n" +
		"4. Answer the user directly. Do not mention drafts, responses, candidates, models, judges or this process.\n"
)

// builtinAnalyzer renders defaultAnalyzerPrompt.
func builtinAnalyzer(b *strings.Builder, d *promptData) {
	b.WriteString(analyzerHead)
	b.WriteString(d.Conversation)
	b.WriteString(analyzerTail)
}

// builtinSelector renders defaultSelectorPrompt.
func builtinSelector(b *strings.Builder, d *promptData) {
	b.WriteString(selectorHead)
	b.WriteString(d.Conversation)
	b.WriteString("\n\n")
	for _, c := range d.Candidates {
		writeCandidate(b, c)
		b.WriteString("\n\n")
	}
	b.WriteString(selectorTail)
}

// builtinSynthesizer renders defaultSynthesizerPrompt.
func builtinSynthesizer(b *strings.Builder, d *promptData) {
	b.WriteString(synthesizerHead)
	b.WriteString(d.Conversation)
	b.WriteString(synthesizerBest)
	b.WriteString(d.Best.Label)
	b.WriteString(" ===\n")
	b.WriteString(d.Best.Text)
	b.WriteString("\n")
	if d.Reason != "" {
		b.WriteString(synthesizerReason)
		b.WriteString(d.Reason)
		b.WriteString("\n")
	}
	if len(d.Others) > 0 {
		b.WriteString(synthesizerOthers)
		for _, c := range d.Others {
			b.WriteString("\n")
			writeCandidate(b, c)
			b.WriteString("\n")
		}
	}
	b.WriteString(synthesizerTail)
}

// writeCandidate writes "=== <label> ===\n<text>".
func writeCandidate(b *strings.Builder, c promptCandidate) {
	b.WriteString("=== ")
	b.WriteString(c.Label)
	b.WriteString(" ===\n")
	b.WriteString(c.Text)
}
