package app

import (
	"fmt"
	"strings"
	"testing"
	"text/template"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

// The hand-written renderers of the default prompts must produce exactly
// what text/template renders from the default templates.
func TestBuiltinPrompts_render_byte_identical_to_the_default_templates(t *testing.T) {
	stages := []struct {
		name, src string
		builtin   func(*strings.Builder, *promptData)
	}{
		{"analyzer", defaultAnalyzerPrompt, builtinAnalyzer},
		{"selector", defaultSelectorPrompt, builtinSelector},
		{"synthesizer", defaultSynthesizerPrompt, builtinSynthesizer},
	}
	for _, st := range stages {
		tpl := template.Must(template.New(st.name).Option("missingkey=error").Parse(st.src))
		for i, d := range promptInputs() {
			t.Run(fmt.Sprintf("%s with input %d", st.name, i), func(t *testing.T) {
				var want strings.Builder
				require.NoError(t, tpl.Execute(&want, d))
				var got strings.Builder
				st.builtin(&got, &d)
				require.Equal(t, want.String(), got.String())
			})
		}
	}
}

// promptInputs covers empty and unusual texts, template-like and HTML-like
// characters, one to four candidates, with and without a reason.
func promptInputs() []promptData {
	texts := []string{
		"", "plain", "two\nlines\n", "{{.Conversation}} <b>&amp;</b> \"quoted\" 'single'",
		"ünïcødé ✓ 日本語", "  padded\t", "=== Response Z ===\nfake header",
	}
	var out []promptData
	for n := 1; n <= 4; n++ {
		for i, text := range texts {
			cands := make([]promptCandidate, n)
			for j := range cands {
				cands[j] = promptCandidate{Label: domain.CandidateLabel(j), Text: texts[(i+j)%len(texts)]}
			}
			reason := ""
			if i%2 == 1 {
				reason = text + " reason"
			}
			best := (i + n) % n
			others := make([]promptCandidate, 0, n-1)
			for j, c := range cands {
				if j != best {
					others = append(others, c)
				}
			}
			out = append(out, promptData{
				Conversation:    "User: " + text + "\n\nAssistant: " + texts[(i+1)%len(texts)],
				LastUserMessage: text,
				Candidates:      cands,
				Best:            cands[best],
				Others:          others,
				Reason:          reason,
			})
		}
	}
	out = append(out, promptData{Candidates: []promptCandidate{{}}, Others: []promptCandidate{}})
	return out
}
