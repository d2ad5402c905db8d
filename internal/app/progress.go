package app

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// progress writes the short lines that show a workflow's stages as they
// finish ("worker B done in 3.4 s (412 tokens)"). On a stream each line is
// emitted at once as reasoning; every line is also kept for the result's
// Reasoning. A nil *progress (progress off) does nothing, so the stages
// call it unconditionally.
type progress struct {
	em    *emitter // nil unless streaming
	names bool

	mu    sync.Mutex // workers report concurrently
	lines strings.Builder
}

// newProgress returns nil when the request gets no progress lines.
func (s *Service) newProgress(req domain.ChatRequest, em *emitter) *progress {
	if !req.Progress.Enabled(s.wf.Progress, em != nil) {
		return nil
	}
	return &progress{em: em, names: s.wf.ProgressNames}
}

// line records one line (indented by nesting depth) and streams it. An
// emit failure is not returned: the keep-alive or the answer's own emit
// reports a gone client, and a line must never fail a stage.
func (p *progress) line(depth int, format string, args ...any) {
	if p == nil {
		return
	}
	text := strings.Repeat("  ", depth) + fmt.Sprintf(format, args...) + "\n"
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines.WriteString(text)
	if p.em != nil {
		_ = p.em.reasoning(text)
	}
}

// reasoning relays upstream reasoning (the synthesizer's) after the lines.
func (p *progress) reasoning(text string) error {
	if p == nil || text == "" {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines.WriteString(text)
	if p.em != nil {
		return p.em.reasoning(text)
	}
	return nil
}

// text returns everything recorded.
func (p *progress) text() string {
	if p == nil {
		return ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lines.String()
}

func (p *progress) analyzer(depth int, at *domain.AnalyzerTrace) {
	if p == nil || at == nil || at.Status == domain.StatusSkipped {
		return
	}
	if at.Status != domain.StatusOK {
		p.line(depth, "analyzer failed (%s): default temperature", p.reason(at.Error, nil))
		return
	}
	task := at.TaskType
	if task == "" {
		task = "general"
	}
	p.line(depth, "analyzer: %s task, temperature %s (%s)", task, formatTemp(at.SuggestedTemperature.Value), seconds(at.Duration))
}

func (p *progress) workersStarted(depth, n int) {
	p.line(depth, "workers: %d running", n)
}

// worker reports the i-th worker of a plan (0-based, configuration order).
func (p *progress) worker(depth, i int, wt domain.WorkerTrace, err error) {
	if p == nil {
		return
	}
	who := "worker " + domain.CandidateLetters(i)
	if p.names {
		who = "worker " + wt.Label
	}
	if err != nil {
		p.line(depth, "%s %s: %s", who, failedWord(wt.Call.Status), p.reason(wt.Call.Error, err))
		return
	}
	p.line(depth, "%s done in %s (%d tokens)", who, seconds(wt.Call.Duration), wt.Call.Usage.Total())
}

func (p *progress) selector(depth int, st *domain.SelectorTrace, cands []domain.Candidate) {
	if p == nil || st == nil {
		return
	}
	chosen := st.SelectedLabel
	if c := cands[st.SelectedIndex-1]; p.names {
		chosen += " (" + c.Node + ")"
	} else if letters := domain.CandidateLetters(c.Worker); chosen != domain.CandidateLabel(c.Worker) {
		chosen += " (worker " + letters + ")"
	}
	switch st.Status {
	case domain.StatusSkipped:
		p.line(depth, "selector: one candidate, %s", chosen)
	case domain.StatusOK:
		if reason := shorten(st.Reasoning, 140); reason != "" {
			p.line(depth, "selector chose %s: %s (%s)", chosen, reason, seconds(st.Duration))
		} else {
			p.line(depth, "selector chose %s (%s)", chosen, seconds(st.Duration))
		}
	default:
		p.line(depth, "selector failed (%s): using %s", p.reason(st.Error, nil), chosen)
	}
}

func (p *progress) synthesizing(depth int) {
	p.line(depth, "synthesizer: writing the answer")
}

// reason is a failure said briefly. Without names it keeps only the kind
// of an upstream failure ("upstream 429", "timeout"), since error texts
// carry model names and upstream messages: from the typed error when the
// caller has it, else from the trace's text of a *domain.LLMError.
func (p *progress) reason(msg string, err error) string {
	if p.names {
		return shorten(msg, 140)
	}
	if le := (*domain.LLMError)(nil); errors.As(err, &le) {
		return llmKind(le.Kind, le.Status)
	}
	if m := llmErrorText.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			return "upstream " + m[1]
		}
		return strings.ReplaceAll(m[2], "_", " ")
	}
	if err != nil && errors.Is(err, domain.ErrAllWorkersFailed) {
		return "all its workers failed"
	}
	return "unusable reply"
}

// llmErrorText finds the kind in a *domain.LLMError's text:
// "model M: upstream status 429: …" or "model M: timeout: …".
var llmErrorText = regexp.MustCompile(`^model [^:]*: (?:upstream status (\d+)|(timeout|canceled|bad_response|connection))\b`)

func llmKind(kind domain.LLMErrorKind, status int) string {
	if kind == domain.LLMStatus {
		return "upstream " + strconv.Itoa(status)
	}
	return strings.ReplaceAll(string(kind), "_", " ")
}

// failedWord names a failure by its status.
func failedWord(s domain.CallStatus) string {
	switch s {
	case domain.StatusTimeout:
		return "timed out"
	case domain.StatusCanceled:
		return "canceled"
	}
	return "failed"
}

// seconds formats a duration as "3.4 s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
}

func formatTemp(t float64) string { return strconv.FormatFloat(t, 'f', -1, 64) }

// shorten keeps the first line of s, cut to at most n runes with "…".
func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i]) + " …"
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}
