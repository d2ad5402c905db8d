package httpapi

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const showBody = `{"model":"chorus"}` // 18 bytes, 0x12

// RFC 9112 §6.3: a request with both Content-Length and Transfer-Encoding
// may be a smuggling attempt; the server must close the connection after
// answering it, so nothing a front proxy framed differently is read as a
// next request.
func TestFraming_ContentLengthWithTransferEncodingClosesTheConnection(t *testing.T) {
	s, _ := newTestServer(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	t.Run("both headers: answered, then closed", func(t *testing.T) {
		conn, rd := dialRaw(t, srv)
		_, err := io.WriteString(conn, "POST /api/show HTTP/1.1\r\nHost: chorus\r\nContent-Type: application/json\r\n"+
			"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n12\r\n"+showBody+"\r\n0\r\n\r\n")
		require.NoError(t, err)
		resp := readResponse(t, rd)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.True(t, resp.Close, "the response announces Connection: close")
		_, err = rd.ReadByte()
		require.ErrorIs(t, err, io.EOF, "the server closed the connection")
	})
	t.Run("Content-Length alone: the connection is kept for the next request", func(t *testing.T) {
		conn, rd := dialRaw(t, srv)
		for range 2 {
			_, err := io.WriteString(conn, "POST /api/show HTTP/1.1\r\nHost: chorus\r\nContent-Type: application/json\r\n"+
				"Content-Length: 18\r\n\r\n"+showBody)
			require.NoError(t, err)
			resp := readResponse(t, rd)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.False(t, resp.Close)
		}
	})
}

func dialRaw(t *testing.T, srv *httptest.Server) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	return conn, bufio.NewReader(conn)
}

func readResponse(t *testing.T, rd *bufio.Reader) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(rd, nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp
}
