package ollama

import (
	"bytes"
	"testing"

	"github.com/chorus-ai/chorus/internal/domain"
)

func BenchmarkNDJSONRelay(b *testing.B) {
	var body bytes.Buffer
	for range 200 {
		body.WriteString(`{"model":"llama3.2","created_at":"2024-01-01T00:00:00.000000001Z","message":{"role":"assistant","content":" token"},"done":false}` + "\n")
	}
	body.WriteString(`{"model":"llama3.2","created_at":"2024-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":10,"eval_count":200}` + "\n")
	data := body.Bytes()
	noop := func(domain.Delta) error { return nil }
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := relay{emit: noop}
		if err := r.run(b.Context(), nil, bytes.NewReader(data), 0); err != nil {
			b.Fatal(err)
		}
	}
}
