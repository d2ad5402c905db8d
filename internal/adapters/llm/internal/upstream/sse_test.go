package upstream

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
	s := NewSSEReader(r, 0)
	defer s.Release()
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

func TestSSEReader_a_recycled_reader_keeps_nothing_of_its_last_stream(t *testing.T) {
	for range 20 {
		s := NewSSEReader(strings.NewReader("data: "+strings.Repeat("x", 40<<10)+"\ndata: half of an event\n"), 0)
		_, err := s.Next()
		require.NoError(t, err)
		s.Release() // released with a long line and buffered input behind it

		got, err := events(t, strings.NewReader("data: {\"a\":1}\n\ndata: [DONE]\n\n"))
		require.NoError(t, err)
		require.Equal(t, []string{`{"a":1}`, "[DONE]"}, got)
	}
}

func BenchmarkSSEReader(b *testing.B) {
	body := bytes.Repeat([]byte(`data: {"choices":[{"index":0,"delta":{"content":" token"}}]}`+"\n\n"), 200)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		s := NewSSEReader(bytes.NewReader(body), 0)
		for {
			if _, err := s.Next(); err != nil {
				break
			}
		}
		s.Release()
	}
}

func TestSSEReader_a_line_or_event_over_the_limit_is_a_limit_error(t *testing.T) {
	cases := map[string]string{
		"a line with no end":            "data: " + strings.Repeat("x", 100<<10),
		"an event with no blank line":   strings.Repeat("data: "+strings.Repeat("y", 1000)+"\n", 100),
		"a long comment line":           ": " + strings.Repeat("z", 100<<10) + "\n\n",
		"an event made of many parts":   strings.Repeat("data: a\n", 40<<10) + "\n",
		"a line longer than the buffer": "data: " + strings.Repeat("x", 80<<10) + "\n\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			s := NewSSEReader(strings.NewReader(body), 64<<10)
			defer s.Release()
			_, err := s.Next()
			var lerr *domain.LLMError
			require.ErrorAs(t, err, &lerr)
			require.Equal(t, domain.LLMLimit, lerr.Kind)
			require.Contains(t, lerr.Message, "upstream.max_event_bytes")
		})
	}
}

func TestNDJSONReader_a_line_over_the_limit_is_a_limit_error_and_a_cut_line_is_not_a_line(t *testing.T) {
	n := NewNDJSONReader(strings.NewReader(`{"a":1}`+"\n"+strings.Repeat("x", 100<<10)), 64<<10)
	line, err := n.Next()
	require.NoError(t, err)
	require.JSONEq(t, `{"a":1}`, string(line))
	_, err = n.Next()
	var lerr *domain.LLMError
	require.ErrorAs(t, err, &lerr)
	require.Equal(t, domain.LLMLimit, lerr.Kind)

	boom := errors.New("budget spent")
	n = NewNDJSONReader(io.MultiReader(strings.NewReader(`{"done":fal`), iotest.ErrReader(boom)), 0)
	_, err = n.Next()
	require.ErrorIs(t, err, boom, "the partial line before a read error is not handed out")
}
