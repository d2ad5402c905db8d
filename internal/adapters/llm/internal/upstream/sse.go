package upstream

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync"
)

// SSEReader splits a text/event-stream body into events and returns each
// event's data (its data: lines joined with "\n"). It accepts "\n" and
// "\r\n" line ends and skips comments (": keep-alive") and the event:, id:
// and retry: fields. A line or an event's data longer than its limit is a
// limit_exceeded error, so a line without an end or an event without its
// blank line cannot grow the buffers without bound. Buffers are reused: a
// returned slice is valid only until the next call.
type SSEReader struct {
	r    *bufio.Reader
	max  int
	data []byte
	long []byte
}

// SSE reader buffer sizes; a longer line goes through SSEReader.long, and
// buffers that grew past maxPooledBuf are not kept.
const (
	sseReadBuf   = 16 << 10
	sseDataBuf   = 4 << 10
	maxPooledBuf = 64 << 10
)

// ssePool recycles readers with their buffers across streams (20 KiB each,
// a fifth of the bytes allocated under stream load before).
var ssePool = sync.Pool{New: func() any {
	return &SSEReader{r: bufio.NewReaderSize(nil, sseReadBuf), data: make([]byte, 0, sseDataBuf)}
}}

// NewSSEReader reads events of at most maxEvent bytes (0: the default)
// from r; Release returns it to the pool.
func NewSSEReader(r io.Reader, maxEvent int) *SSEReader {
	s, _ := ssePool.Get().(*SSEReader)
	s.r.Reset(r)
	s.max = StreamLimits{MaxEventBytes: maxEvent}.WithDefaults().MaxEventBytes
	return s
}

// Release recycles the reader; no slice it returned may be used after.
func (s *SSEReader) Release() {
	s.r.Reset(nil)
	if cap(s.data) > maxPooledBuf {
		s.data = make([]byte, 0, sseDataBuf)
	}
	if cap(s.long) > maxPooledBuf {
		s.long = nil
	}
	ssePool.Put(s)
}

// dataPrefix starts a data field line.
var dataPrefix = []byte("data:")

// Next returns the next event's data, or io.EOF after the last event. A
// final event not followed by a blank line is still returned.
func (s *SSEReader) Next() ([]byte, error) {
	s.data = s.data[:0]
	has := false
	for {
		line, err := s.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) && has {
				return s.data, nil
			}
			return nil, err
		}
		switch {
		case len(line) == 0:
			if has {
				return s.data, nil
			}
		case bytes.HasPrefix(line, dataPrefix):
			v := line[len(dataPrefix):]
			if len(v) > 0 && v[0] == ' ' {
				v = v[1:]
			}
			if len(s.data)+1+len(v) > s.max {
				return nil, overLimit("stream event", s.max, "max_event_bytes")
			}
			if has {
				s.data = append(s.data, '\n')
			}
			s.data = append(s.data, v...)
			has = true
		}
		// Comments (":…") and other fields are ignored.
	}
}

// readLine returns one line without its line end. A last line without a
// line end is returned before io.EOF.
func (s *SSEReader) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.long = append(s.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(s.long) > s.max {
				return nil, overLimit("stream line", s.max, "max_event_bytes")
			}
			line, err = s.r.ReadSlice('\n')
			s.long = append(s.long, line...)
		}
		line = s.long
	}
	if err != nil && (!errors.Is(err, io.EOF) || len(line) == 0) {
		return nil, err
	}
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return line, nil
}
