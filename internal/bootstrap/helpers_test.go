package bootstrap_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// settingsFor returns a configuration whose models all live on fake: the
// workflow uses "analyst" → worker → "synth", and extra models are
// available for passthrough.
func settingsFor(fake *fakeupstream.Server, worker string, extra ...string) *config.Settings {
	t := domain.StageTimeouts{Analyzer: 5 * time.Second, Worker: 5 * time.Second, Selector: 5 * time.Second, Synthesizer: 5 * time.Second}
	names := append([]string{"analyst", "synth", worker}, extra...)
	specs := make([]domain.ModelSpec, 0, len(names))
	byName := make(map[string]domain.ModelSpec, len(names))
	for _, n := range names {
		s := domain.ModelSpec{Name: n, Provider: domain.ProviderOpenAI, APIBase: fake.OpenAIBase(), APIKey: domain.NewSecret("k"), Timeouts: t}
		specs = append(specs, s)
		byName[n] = s
	}
	return &config.Settings{
		Server: config.Server{Host: "127.0.0.1", Port: 0, MaxBodyBytes: 1 << 20, ShutdownTimeout: 5 * time.Second, KeepAliveInterval: time.Second},
		Models: specs,
		Workflow: domain.Workflow{
			Name: "chorus",
			Mode: domain.ModeSynthesize,
			Root: &domain.Plan{
				Analyzer:    domain.Target{Model: "analyst"},
				Workers:     []domain.Node{domain.ModelNode{Target: domain.Target{Model: worker}}},
				Synthesizer: &domain.Target{Model: "synth"},
			},
			Models:     byName,
			ModelOrder: names,
		},
	}
}

func testDeps() bootstrap.Deps {
	return bootstrap.Deps{TracerProvider: noop.NewTracerProvider(), Getenv: func(string) string { return "" }, Version: "test"}
}

// holdModel returns a Hold func that keeps requests for model until gate closes.
func holdModel(model string, gate <-chan struct{}) func(fakeupstream.Request) <-chan struct{} {
	return func(r fakeupstream.Request) <-chan struct{} {
		if r.Model == model {
			return gate
		}
		return nil
	}
}

func chatBody(model string, stream bool) string {
	b, _ := json.Marshal(map[string]any{"model": model, "stream": stream,
		"messages": []map[string]string{{"role": "user", "content": "hello"}}})
	return string(b)
}

// do sends one request; it reports failures as errors (no require), so it
// may run on a goroutine of its own.
func do(ctx context.Context, t *testing.T, method, url, body string) (int, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func modelIDs(t *testing.T, body []byte) []string {
	t.Helper()
	var out struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	ids := make([]string, 0, len(out.Data))
	for _, d := range out.Data {
		ids = append(ids, d.ID)
	}
	return ids
}

func chatText(t *testing.T, body []byte) string {
	t.Helper()
	var out struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	require.NotEmpty(t, out.Choices, string(body))
	return out.Choices[0].Message.Content
}

// sseText concatenates the delta contents of an OpenAI chat stream and
// reports whether it ended with [DONE]. It returns errors instead of
// failing the test, so it may run on a goroutine of its own.
func sseText(r io.Reader) (string, bool, error) {
	var b strings.Builder
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if line == "[DONE]" {
			return b.String(), true, nil
		}
		var ch struct {
			Choices []struct {
				Delta struct {
					Content string `json:"content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(line), &ch); err != nil {
			return b.String(), false, fmt.Errorf("chunk %q: %w", line, err)
		}
		for _, c := range ch.Choices {
			b.WriteString(c.Delta.Content)
		}
	}
	return b.String(), false, sc.Err()
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
