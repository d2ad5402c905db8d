package upstream

import (
	"bufio"
	"errors"
	"io"
)

// initialNDJSONLine is the first buffer of an NDJSON reader: lines are
// about 200 bytes; the buffer grows up to the event limit for a big tool
// call or image.
const initialNDJSONLine = 4 << 10

// NDJSONReader returns the lines of a newline-delimited JSON body; a line
// longer than the event limit is a limit_exceeded error instead of a
// buffer that grows without bound.
type NDJSONReader struct {
	sc  *bufio.Scanner
	src *failReader
	max int
}

// failReader remembers a read error: bufio.Scanner still hands out the
// partial line before it, which must not pass for a whole one.
type failReader struct {
	r   io.Reader
	err error
}

func (f *failReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		f.err = err
	}
	return n, err
}

// NewNDJSONReader reads lines of at most maxLine bytes (0: the default).
func NewNDJSONReader(r io.Reader, maxLine int) *NDJSONReader {
	src := &failReader{r: r}
	n := &NDJSONReader{sc: bufio.NewScanner(src), src: src, max: StreamLimits{MaxEventBytes: maxLine}.WithDefaults().MaxEventBytes}
	n.sc.Buffer(make([]byte, 0, min(initialNDJSONLine, n.max)), n.max)
	return n
}

// Next returns the next line (valid until the following call), or io.EOF.
func (n *NDJSONReader) Next() ([]byte, error) {
	if n.sc.Scan() {
		if n.src.err != nil {
			return nil, n.src.err
		}
		return n.sc.Bytes(), nil
	}
	err := n.sc.Err()
	switch {
	case err == nil:
		return nil, io.EOF
	case errors.Is(err, bufio.ErrTooLong):
		return nil, overLimit("stream line", n.max, "max_event_bytes")
	}
	return nil, err
}
