package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/fakeupstream"
)

const citySchema = `{"type":"object","properties":{"city":{"type":"string"},"temp":{"type":"number"}},"required":["city","temp"],"additionalProperties":false}`

// Acceptance 4: json_schema through the workflow. Workers and the
// synthesizer get the format; a synthesizer answering invalid JSON falls
// back to the selected candidate, then to any valid one, and the trace
// says so.
func TestWorkflowStructuredOutput(t *testing.T) {
	answers := map[string]string{}
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: func(r fakeupstream.Request) (fakeupstream.Answer, bool) {
		if a, ok := answers[r.Model]; ok && r.Kind == fakeupstream.KindChat {
			return fakeupstream.TextAnswer(r, a), true
		}
		return fakeupstream.Answer{}, false
	}}})
	format := `{"type":"json_schema","json_schema":{"name":"weather","strict":true,"schema":` + citySchema + `}}`
	ask := func(t *testing.T, stream bool) map[string]any {
		t.Helper()
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,"stream":`+
			strconv.FormatBool(stream)+`,"response_format":`+format+`,"messages":[{"role":"user","content":"weather in Paris?"}]}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		if stream {
			_, _, text := chatToolCalls(t, r, true)
			return map[string]any{"content": text}
		}
		m := decodeMap(t, r.body)
		return map[string]any{"content": path(m, "choices", 0, "message", "content"), "workflow": m["workflow"]}
	}
	for _, tc := range []struct {
		name                string
		oai, oll, synth     string
		want, source, valid string
		note                string
	}{
		{"a valid synthesized answer is kept", `{"city":"Paris","temp":1}`, `{"city":"Paris","temp":2}`, "```json\n{\"city\":\"Paris\",\"temp\":3}\n```",
			`{"city":"Paris","temp":3}`, "synthesizer", "true", ""},
		{"an invalid synthesis falls back to the selected candidate", `{"city":"Paris","temp":1}`, `{"city":"Paris","temp":2}`, "Paris is mild today.",
			`{"city":"Paris","temp":1}`, "Response A", "true", "synthesizer answer not valid JSON; fell back to Response A"},
		{"then to any valid candidate", `{"city":"Paris"}`, `{"city":"Paris","temp":2}`, `{"city":"Paris","temp":"warm"}`,
			`{"city":"Paris","temp":2}`, "Response B", "true", "does not match the schema"},
		{"all invalid keeps the synthesis with a note", `{"city":1}`, `nope`, `{"town":"Paris"}`,
			`{"town":"Paris"}`, "synthesizer", "false", "no answer is valid json_schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answers[mWorkerOAI], answers[mWorkerOll], answers[mSynth] = tc.oai, tc.oll, tc.synth
			s.fake.Reset()
			got := ask(t, false)
			require.JSONEq(t, tc.want, str(got["content"]))
			out := path(got["workflow"], "output")
			require.Equal(t, tc.source, path(out, "source"))
			require.Equal(t, "json_schema", path(out, "format"))
			require.Equal(t, tc.valid, strconv.FormatBool(path(out, "valid") == true))
			require.Contains(t, str(path(out, "note")), tc.note)
			for _, m := range []string{mWorkerOAI, mSynth} {
				require.JSONEq(t, format, string(lastCallTo(t, s.fake.Requests(), m).ResponseFormat), "%s gets response_format", m)
			}
			require.JSONEq(t, citySchema, string(lastCallTo(t, s.fake.Requests(), mWorkerOll).ResponseFormat), "Ollama's format is the schema")
			require.Empty(t, lastCallTo(t, s.fake.Requests(), mJudge).ResponseFormat, "the selector keeps its own prompt")

			streamed := ask(t, true)
			require.JSONEq(t, tc.want, str(streamed["content"]), "a stream sends the checked answer")
		})
	}
	answers = map[string]string{}
	s.noPanics(t)
}

// Acceptance 5: an image reaches every worker but the vision = false one,
// whose trace says why; /api/show lists vision for the workflow.
func TestWorkflowImagesSkipTextOnlyWorkers(t *testing.T) {
	s := startStack(t, stackOptions{editTOML: func(doc string) string {
		return strings.Replace(doc, `provider = "ollama"`, "provider = \"ollama\"\nvision = false", 1)
	}})
	img := "data:image/png;base64,iVBORw0KGgo="
	for _, stream := range []bool{false, true} {
		s.fake.Reset()
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,"stream":`+strconv.FormatBool(stream)+
			`,"messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"`+img+`"}}]}]}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Equal(t, 1, lastCallTo(t, s.fake.Requests(), mWorkerOAI).Messages[0].Images, "the OpenAI worker gets the image")
		oll := lastCallTo(t, s.fake.Requests(), mWorkerOll).Messages[0]
		require.Equal(t, 0, oll.Images, "the vision = false worker gets none")
		require.Equal(t, "what is this?", oll.Content, "but the text")
		if !stream {
			require.Contains(t, path(decodeMap(t, r.body), "workflow", "workers", 1, "note"), "1 image(s) left out")
		}
	}
	t.Run("Responses input_image and http image URLs reach the workers too", func(t *testing.T) {
		s.fake.Reset()
		r := s.call(t, http.MethodPost, "/v1/responses", `{"model":"chorus","input":[{"role":"user","content":[`+
			`{"type":"input_text","text":"what is this?"},{"type":"input_image","image_url":"`+img+`"},`+
			`{"type":"input_image","image_url":"https://example.com/cat.png"}]}]}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Equal(t, 2, lastCallTo(t, s.fake.Requests(), mWorkerOAI).Messages[0].Images)
		require.Equal(t, 0, lastCallTo(t, s.fake.Requests(), mWorkerOll).Messages[0].Images)
	})
	t.Run("an Ollama worker without vision = false gets inline images but no image URLs", func(t *testing.T) {
		s := startStack(t, stackOptions{})
		r := s.call(t, http.MethodPost, "/v1/chat/completions", `{"model":"chorus","include_workflow":true,"messages":[{"role":"user","content":[`+
			`{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"`+img+`"}},`+
			`{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Equal(t, 2, lastCallTo(t, s.fake.Requests(), mWorkerOAI).Messages[0].Images)
		require.Equal(t, 1, lastCallTo(t, s.fake.Requests(), mWorkerOll).Messages[0].Images)
		require.Contains(t, path(decodeMap(t, r.body), "workflow", "workers", 1, "note"), "1 image URL(s) left out")
	})
	t.Run("Ollama images reach the workers too", func(t *testing.T) {
		s.fake.Reset()
		r := s.call(t, http.MethodPost, "/api/chat", `{"model":"chorus","stream":false,"messages":[{"role":"user","content":"what?","images":["iVBORw0KGgo="]}]}`, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Equal(t, 1, lastCallTo(t, s.fake.Requests(), mWorkerOAI).Messages[0].Images)
		require.Equal(t, 0, lastCallTo(t, s.fake.Requests(), mWorkerOll).Messages[0].Images)
	})
	t.Run("api/show lists vision only where images reach a model", func(t *testing.T) {
		for model, want := range map[string][]any{
			"chorus":   {"completion", "tools", "vision"},
			mWorkerOAI: {"completion", "tools", "vision"},
			mWorkerOll: {"completion", "tools"},
		} {
			r := s.call(t, http.MethodPost, "/api/show", `{"model":"`+model+`"}`, nil)
			require.Equal(t, want, decodeMap(t, r.body)["capabilities"], model)
		}
	})
	s.noPanics(t)
}

// Acceptance 4 on the other two surfaces: Ollama's format and Responses'
// text.format reach every worker (in its upstream's shape) and the
// synthesizer; the answer is the synthesizer's JSON, checked valid.
func TestWorkflowStructuredOutputOnOllamaAndResponses(t *testing.T) {
	s := startStack(t, stackOptions{fake: fakeupstream.Config{Script: fakeupstream.StructuredAnswer}})
	openAIFormat := `{"type":"json_schema","json_schema":{"name":"weather","strict":true,"schema":` + citySchema + `}}`
	for _, tc := range []struct{ name, route, body, wantFormat string }{
		{"ollama", "/api/chat", `"format":` + citySchema + `,"messages":[{"role":"user","content":"weather?"}]`,
			`{"type":"json_schema","json_schema":{"name":"response","schema":` + citySchema + `}}`},
		{"responses", "/v1/responses", `"text":{"format":{"type":"json_schema","name":"weather","strict":true,"schema":` + citySchema + `}},"input":"weather?"`,
			openAIFormat},
	} {
		for _, stream := range []bool{false, true} {
			t.Run(tc.name+" stream="+strconv.FormatBool(stream), func(t *testing.T) {
				s.fake.Reset()
				r := s.call(t, http.MethodPost, tc.route, `{"model":"chorus","include_workflow":true,"stream":`+strconv.FormatBool(stream)+`,`+tc.body+`}`, nil)
				require.Equal(t, http.StatusOK, r.status, string(r.body))
				var text string
				var final map[string]any
				if tc.route == "/v1/responses" {
					final = responsesFinal(t, r.body, stream)
					text = str(final["output_text"])
				} else {
					lines := []map[string]any{}
					if stream {
						lines = parseNDJSON(t, r.body)
					} else {
						lines = append(lines, decodeMap(t, r.body))
					}
					var b strings.Builder
					for _, l := range lines {
						b.WriteString(str(path(l, "message", "content")))
					}
					text, final = b.String(), lines[len(lines)-1]
				}
				require.JSONEq(t, `{"city":"synth","temp":1}`, text, "the synthesizer's answer, built from the schema")
				require.Equal(t, "json_schema", path(final, "workflow", "output", "format"))
				require.Equal(t, true, path(final, "workflow", "output", "valid"))
				require.JSONEq(t, tc.wantFormat, string(lastCallTo(t, s.fake.Requests(), mWorkerOAI).ResponseFormat))
				require.JSONEq(t, tc.wantFormat, string(lastCallTo(t, s.fake.Requests(), mSynth).ResponseFormat))
				require.JSONEq(t, citySchema, string(lastCallTo(t, s.fake.Requests(), mWorkerOll).ResponseFormat))
			})
		}
	}
	s.noPanics(t)
}
