package app

// The default stage prompts. They ask for machine-readable replies; the
// parsers accept far more than they ask for.
const (
	defaultAnalyzerPrompt = `Analyze the conversation below and recommend the sampling temperature, a number from 0.0 to 2.0, that will give the best answer to its last message.
Low values (0.0-0.5) suit precise, factual or deterministic work such as code, math, extraction or translation; middle values (0.6-1.0) suit explanations and everyday questions; high values (1.1-2.0) suit creative, open-ended or brainstorming tasks.
Also rate how hard the last message is to answer well: "trivial" (a greeting, a one-line fact, a simple rewrite that any capable model gets right), "normal", or "hard" (multi-step reasoning, tricky code or math, many constraints).

Conversation:
{{.Conversation}}

Reply with only a JSON object and nothing else, shaped like:
{"temperature": 0.7, "task_type": "<one or two words>", "difficulty": "normal", "reasoning": "<one short sentence>"}
`

	defaultSelectorPrompt = `You are judging candidate answers to the conversation below. Choose the single best answer to its last message: the most correct, complete and helpful one. Judge the content only; length and style matter only where they hurt clarity.

Conversation:
{{.Conversation}}

{{range .Candidates}}=== {{.Label}} ===
{{.Text}}

{{end}}If every answer is flawed, choose the least flawed one.
Reply with only a JSON object and nothing else, shaped like:
{"choice": "<letter of the best response, e.g. A>", "reason": "<one short sentence naming the deciding strengths or flaws>"}
`

	defaultSynthesizerPrompt = `Write the best possible reply to the last message of the conversation below.

Conversation:
{{.Conversation}}

Several draft answers were prepared. The strongest draft is:

=== {{.Best.Label}} ===
{{.Best.Text}}
{{if .Reason}}
Why it was judged strongest: {{.Reason}}
{{end}}{{if .Others}}
Other drafts, to be used only as material to check against:
{{range .Others}}
=== {{.Label}} ===
{{.Text}}
{{end}}{{end}}
Instructions:
1. Start from the strongest draft and keep what is correct in it.
2. Check its claims critically against the other drafts and your own knowledge. Fix errors and fill real gaps, but do not copy anything blindly: drafts can be wrong, even when they agree.
3. Keep the answer clear, well structured and no longer than it needs to be.
4. Answer the user directly. Do not mention drafts, responses, candidates, models, judges or this process.
`
)
