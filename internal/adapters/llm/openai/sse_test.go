package openai

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/domain"
)

// events reads every event's data from body.
func events(t *testing.T, r io.Reader) ([]string, error) {
	t.Helper()
	s := newSSEReader(r)
	defer s.release()
	var out []string
	for {
		data, err := s.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, string(data))
	}
}

func TestSSEReader_splits_events_the_way_the_spec_says(t *testing.T) {
	long := strings.Repeat("x", 40<<10)
	cases := []struct {
		name string
		body string
		want []string
	}{
		{name: "LF", body: "data: a\n\ndata: b\n\n", want: []string{"a", "b"}},
		{name: "CRLF", body: "data: a\r\n\r\ndata: b\r\n\r\n", want: []string{"a", "b"}},
		{name: "comments and other fields are skipped", body: ": ping\n\nevent: x\nid: 1\nretry: 5\ndata: a\n\n:\n\n", want: []string{"a"}},
		{name: "multi-line data is joined", body: "data: a\ndata: b\n\n", want: []string{"a\nb"}},
		{name: "no space after the colon", body: "data:a\n\n", want: []string{"a"}},
		{name: "a last event without a blank line", body: "data: a\n\ndata: b", want: []string{"a", "b"}},
		{name: "a line longer than the buffer", body: "data: " + long + "\n\n", want: []string{long}},
		{name: "only keep-alives", body: ": keep-alive\n\n: keep-alive\n\n", want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := events(t, strings.NewReader(tc.body))
			require.NoError(t, err)
			require.Equal(t, tc.want, got)

			got, err = events(t, iotest.OneByteReader(strings.NewReader(tc.body)))
			require.NoError(t, err, "byte-by-byte delivery")
			require.Equal(t, tc.want, got)
		})
	}
}

func TestSSEReader_reports_a_read_error(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("data: a\n\ndata: b"), iotest.ErrReader(boom))

	got, err := events(t, r)

	require.ErrorIs(t, err, boom)
	require.Equal(t, []string{"a"}, got)
}

// sampleStream is a realistic 200-chunk stream with a usage chunk.
func sampleStream() []byte {
	var b bytes.Buffer
	b.WriteString(": OPENROUTER PROCESSING\n\n")
	for i := range 200 {
		_ = i
		b.WriteString(`data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":" token"},"logprobs":null,"finish_reason":null}],"usage":null}` + "\n\n")
	}
	b.WriteString(`data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n")
	b.WriteString(`data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":200,"total_tokens":210}}` + "\n\n")
	b.WriteString("data: [DONE]\n\n")
	return b.Bytes()
}

func TestSSEReader_a_recycled_reader_keeps_nothing_of_its_last_stream(t *testing.T) {
	for range 20 {
		s := newSSEReader(strings.NewReader("data: " + strings.Repeat("x", 40<<10) + "\ndata: half of an event\n"))
		_, err := s.Next()
		require.NoError(t, err)
		s.release() // released with a long line and buffered input behind it

		got, err := events(t, strings.NewReader("data: {\"a\":1}\n\ndata: [DONE]\n\n"))
		require.NoError(t, err)
		require.Equal(t, []string{`{"a":1}`, "[DONE]"}, got)
	}
}

func BenchmarkSSEReader(b *testing.B) {
	body := sampleStream()
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		s := newSSEReader(bytes.NewReader(body))
		for {
			if _, err := s.Next(); err != nil {
				break
			}
		}
		s.release()
	}
}

func BenchmarkStreamRelay(b *testing.B) {
	body := sampleStream()
	noop := func(domain.Delta) error { return nil }
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r := relay{emit: noop}
		if err := r.run(b.Context(), nil, bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeCompletion(b *testing.B) {
	body := []byte(`{"id":"chatcmpl-abc123","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"` +
		strings.Repeat("The quick brown fox jumps over the lazy dog. ", 40) +
		`","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":400,"total_tokens":410}}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := decodeCompletion(body); err != nil {
			b.Fatal(err)
		}
	}
}
