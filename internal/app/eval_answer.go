package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// answerRef names one contestant's answer to one prompt.
type answerRef struct{ contestant, prompt string }

// answerSet holds the answers an evaluation got, and how many failed.
type answerSet struct {
	mu     sync.Mutex
	got    map[answerRef]domain.EvalAnswer
	failed map[string]int // by contestant
}

func (s *answerSet) add(a domain.EvalAnswer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got[answerRef{a.Contestant, a.PromptID}] = a
}

func (s *answerSet) fail(contestant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed[contestant]++
}

func (s *answerSet) get(contestant, prompt string) (domain.EvalAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.got[answerRef{contestant, prompt}]
	return a, ok
}

// answerAll gets every contestant's answer to every prompt, from the store
// when it has one, else by asking; each new answer is stored at once so an
// interrupted run keeps it. Failed answers are not stored.
func (e *Evaluator) answerAll(ctx context.Context, prompts []domain.EvalPrompt) *answerSet {
	set := &answerSet{got: map[answerRef]domain.EvalAnswer{}, failed: map[string]int{}}
	total := len(prompts) * len(e.contestants)
	var doneMu sync.Mutex
	done := 0
	step := func(ev ports.EvalEvent) {
		doneMu.Lock()
		done++
		ev.Done, ev.Total, ev.Phase = done, total, PhaseAnswers
		doneMu.Unlock()
		e.progress(ev)
	}
	forEach(ctx, total, e.d.Concurrency, func(i int) {
		p, c := prompts[i/len(e.contestants)], e.contestants[i%len(e.contestants)]
		label := p.ID + " · " + c.Name
		key := answerKey(c.Contestant, p)
		if a, ok, err := e.d.Store.LoadAnswer(c.Name, p.ID, key); err == nil && ok {
			set.add(a)
			step(ports.EvalEvent{Label: label, Cached: true})
			return
		}
		a, err := e.ask(ctx, c, p)
		if err == nil {
			err = e.d.Store.SaveAnswer(key, a)
		}
		if err != nil {
			if ctx.Err() != nil {
				return // interrupted: neither an answer nor a failure
			}
			set.fail(c.Name)
			step(ports.EvalEvent{Label: label, Err: err})
			return
		}
		set.add(a)
		step(ports.EvalEvent{Label: label})
	})
	return set
}

// ask runs one prompt through one contestant.
func (e *Evaluator) ask(ctx context.Context, c contestant, p domain.EvalPrompt) (domain.EvalAnswer, error) {
	start := e.d.Now()
	res, err := c.svc.Complete(ctx, domain.ChatRequest{Model: c.model, Messages: p.Messages})
	if err != nil {
		return domain.EvalAnswer{}, err
	}
	a := domain.EvalAnswer{
		PromptID: p.ID, Contestant: c.Name, Text: res.Text, Usage: res.Usage,
		UsageByModel: map[string]domain.Usage{}, Latency: e.d.Now().Sub(start),
	}
	if res.Trace == nil { // passthrough: one call to the named model
		a.Calls, a.UsageByModel[c.model] = 1, res.Usage
		return a, nil
	}
	a.Routed = res.Trace.Routed != nil
	a.Calls = traceCalls(res.Trace, a.UsageByModel)
	return a, nil
}

// traceCalls counts the upstream calls of a workflow trace (skipped stages
// made none) and adds each call's usage to byModel.
func traceCalls(t *domain.ExecutionTrace, byModel map[string]domain.Usage) int {
	n := 0
	add := func(c domain.CallTrace) {
		if c.Status == domain.StatusSkipped || c.Model == "" {
			return
		}
		n++
		byModel[c.Model] = byModel[c.Model].Add(c.Usage)
	}
	if t.Analyzer != nil {
		add(t.Analyzer.CallTrace)
	}
	for _, w := range t.Workers {
		if w.Nested != nil {
			n += traceCalls(w.Nested, byModel)
			continue
		}
		add(w.Call)
	}
	if t.Selector != nil {
		add(t.Selector.CallTrace)
	}
	if t.Synthesizer != nil {
		add(t.Synthesizer.CallTrace)
	}
	if t.Routed != nil {
		add(t.Routed.CallTrace)
	}
	return n
}

// answerKey digests what decides an answer: the contestant and the
// conversation (not the prompt's id or reference).
func answerKey(c domain.Contestant, p domain.EvalPrompt) string {
	h := sha256.New()
	for _, s := range []string{c.Kind, c.Name} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	writeMessages(h, p.Messages)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func writeMessages(h interface{ Write([]byte) (int, error) }, msgs []domain.Message) {
	for _, m := range msgs {
		_, _ = h.Write([]byte(m.Role))
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(m.Content))
		_, _ = h.Write([]byte{0})
	}
}
