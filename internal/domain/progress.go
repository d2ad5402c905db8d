package domain

// Progress says whether a workflow answer carries short progress lines
// ("worker B done in 3.4 s (412 tokens)") in its wire format's reasoning
// channel while the analyzer, workers and selector run. On a stream the
// lines are StreamEvents whose Delta has only Reasoning set; on a whole
// answer they are ChatResult.Reasoning.
type Progress string

// Progress modes.
const (
	// ProgressDefault leaves the choice to the configuration: the
	// configured mode on streams, none on whole answers.
	ProgressDefault Progress = ""
	// ProgressReasoning sends the lines in the reasoning channel.
	ProgressReasoning Progress = "reasoning"
	// ProgressOff sends none.
	ProgressOff Progress = "off"
)

// ParseProgress reads a configured or requested mode; ok is false for
// anything but "reasoning" and "off" (case-sensitive, as TOML keys are).
func ParseProgress(s string) (Progress, bool) {
	switch p := Progress(s); p {
	case ProgressReasoning, ProgressOff:
		return p, true
	}
	return ProgressDefault, false
}

// Enabled decides whether a request gets progress lines: its own choice
// when it made one, else the configured mode on streams only (a whole
// answer gets them only when asked, so non-streaming clients that show
// reasoning are not surprised by it).
func (p Progress) Enabled(configured Progress, stream bool) bool {
	switch p {
	case ProgressReasoning:
		return true
	case ProgressOff:
		return false
	}
	return stream && configured != ProgressOff
}
