package evaluation

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/chorus-ai/chorus/internal/adapters/internal/atomicfile"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

var _ ports.EvalStore = (*Store)(nil)

// Store keeps answers under DIR/cache/answers/<contestant>/ and judgements
// under DIR/cache/judgements/<opponent>/, one JSON file each, named by
// prompt id and key. Every file is written to a temporary name and renamed,
// so an interrupt leaves either no file or a complete one.
type Store struct {
	root string
}

// NewStore returns the store of an output directory.
func NewStore(dir string) *Store { return &Store{root: filepath.Join(dir, "cache")} }

// storedAnswer is an answer file.
type storedAnswer struct {
	Contestant   string                 `json:"contestant"`
	PromptID     string                 `json:"prompt"`
	Text         string                 `json:"text"`
	Usage        storedUsage            `json:"usage"`
	UsageByModel map[string]storedUsage `json:"usage_by_model"`
	Calls        int                    `json:"calls"`
	LatencyMS    float64                `json:"latency_ms"`
	Routed       bool                   `json:"routed,omitempty"`
}

type storedUsage struct {
	Input  int `json:"input_tokens"`
	Output int `json:"output_tokens"`
}

// storedJudgement is a judgement file.
type storedJudgement struct {
	Verdict string      `json:"verdict"`
	Reason  string      `json:"reason,omitempty"`
	Usage   storedUsage `json:"usage"`
}

// LoadAnswer implements [ports.EvalStore].
func (s *Store) LoadAnswer(contestant, promptID, key string) (domain.EvalAnswer, bool, error) {
	var in storedAnswer
	if ok, err := readJSON(s.path("answers", contestant, promptID, key), &in); !ok {
		return domain.EvalAnswer{}, false, err
	}
	a := domain.EvalAnswer{
		PromptID: promptID, Contestant: contestant, Text: in.Text, Usage: in.Usage.domain(),
		UsageByModel: map[string]domain.Usage{}, Calls: in.Calls, Routed: in.Routed,
		Latency: time.Duration(in.LatencyMS * float64(time.Millisecond)),
	}
	for m, u := range in.UsageByModel {
		a.UsageByModel[m] = u.domain()
	}
	return a, true, nil
}

// SaveAnswer implements [ports.EvalStore].
func (s *Store) SaveAnswer(key string, a domain.EvalAnswer) error {
	out := storedAnswer{
		Contestant: a.Contestant, PromptID: a.PromptID, Text: a.Text, Usage: usageOf(a.Usage),
		UsageByModel: map[string]storedUsage{}, Calls: a.Calls, Routed: a.Routed,
		LatencyMS: float64(a.Latency) / float64(time.Millisecond),
	}
	for m, u := range a.UsageByModel {
		out.UsageByModel[m] = usageOf(u)
	}
	return writeJSON(s.path("answers", a.Contestant, a.PromptID, key), out)
}

// LoadJudgement implements [ports.EvalStore].
func (s *Store) LoadJudgement(opponent, promptID, key string) (domain.Judgement, bool, error) {
	var in storedJudgement
	if ok, err := readJSON(s.path("judgements", opponent, promptID, key), &in); !ok {
		return domain.Judgement{}, false, err
	}
	v := domain.Verdict(in.Verdict)
	if v != domain.VerdictFirst && v != domain.VerdictSecond && v != domain.VerdictTie {
		return domain.Judgement{}, false, nil
	}
	return domain.Judgement{Verdict: v, Reason: in.Reason, Usage: in.Usage.domain()}, true, nil
}

// SaveJudgement implements [ports.EvalStore].
func (s *Store) SaveJudgement(opponent, promptID, key string, j domain.Judgement) error {
	return writeJSON(s.path("judgements", opponent, promptID, key),
		storedJudgement{Verdict: string(j.Verdict), Reason: j.Reason, Usage: usageOf(j.Usage)})
}

func (s *Store) path(kind, who, promptID, key string) string {
	return filepath.Join(s.root, kind, safeName(who), safeName(promptID)+"."+key+".json")
}

func usageOf(u domain.Usage) storedUsage {
	return storedUsage{Input: u.InputTokens, Output: u.OutputTokens}
}

func (u storedUsage) domain() domain.Usage {
	return domain.Usage{InputTokens: u.Input, OutputTokens: u.Output}
}

// unsafeChars are replaced in file names.
var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// safeName turns a model name or prompt id into one path element; a name
// that had to change gets a digest suffix so two names never collide.
func safeName(s string) string {
	clean := unsafeChars.ReplaceAllString(s, "_")
	if clean == s && s != "" && s[0] != '.' {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return clean + "-" + hex.EncodeToString(sum[:4])
}

// readJSON decodes a stored file; a missing or unreadable one (say, torn by
// a crash of an older version) is "not stored", so it is asked again.
func readJSON(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("eval store: %w", err)
	}
	return json.Unmarshal(b, v) == nil, nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("eval store: %w", err)
	}
	return atomicfile.Write(path, append(b, '\n'), 0o644)
}
