package openai

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync"
)

// sseReader splits a text/event-stream body into events and returns each
// event's data (its data: lines joined with "\n"). It accepts "\n" and
// "\r\n" line ends and skips comments (": keep-alive") and the event:, id:
// and retry: fields. Buffers are reused: a returned slice is valid only until
// the next call.
type sseReader struct {
	r    *bufio.Reader
	data []byte
	long []byte
}

// SSE reader buffer sizes; a longer line goes through sseReader.long, and
// buffers that grew past maxPooledBuf are not kept.
const (
	sseReadBuf   = 16 << 10
	sseDataBuf   = 4 << 10
	maxPooledBuf = 64 << 10
)

// ssePool recycles readers with their buffers across streams (20 KiB each,
// a fifth of the bytes allocated under stream load before).
var ssePool = sync.Pool{New: func() any {
	return &sseReader{r: bufio.NewReaderSize(nil, sseReadBuf), data: make([]byte, 0, sseDataBuf)}
}}

// newSSEReader reads events from r; release returns it to the pool.
func newSSEReader(r io.Reader) *sseReader {
	s, _ := ssePool.Get().(*sseReader)
	s.r.Reset(r)
	return s
}

// release recycles the reader; no slice it returned may be used after.
func (s *sseReader) release() {
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
func (s *sseReader) Next() ([]byte, error) {
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
func (s *sseReader) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.long = append(s.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
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
