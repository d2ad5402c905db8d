package bootstrap_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/bootstrap"
	"github.com/chorus-ai/chorus/internal/domain"
	official "github.com/chorus-ai/chorus/test/contract"
	"github.com/chorus-ai/chorus/test/fakeupstream"
)

// bound is how long a test waits for the server to act on a short limit
// before it declares the limit missing; the limits under test are far
// shorter, so a pass never depends on the machine being fast.
const bound = 10 * time.Second

// rawConn opens a TCP connection to the running server.
func rawConn(t *testing.T, r *running) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(r.base, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(bound)))
	return conn, bufio.NewReader(conn)
}

// requireClosed reads until the server closes the connection; a read
// deadline (the test's bound) instead means the server held it open.
func requireClosed(t *testing.T, rd *bufio.Reader) {
	t.Helper()
	_, err := io.Copy(io.Discard, rd)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the server kept the connection open")
	}
}

func slowClientSettings(fake *fakeupstream.Server, tweak func(*config.Settings)) *config.Settings {
	s := settingsFor(fake, "w1")
	s.Server.Conn = config.ConnLimits{ReadTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond, MaxConnections: 64}
	if tweak != nil {
		tweak(s)
	}
	return s
}

// requireAnsweredAndClosed sends the headers of a 100-byte body to path and
// only its first bytes, then requires an answer with status, in the official
// error shape of the route's dialect, and the connection closed after it.
func requireAnsweredAndClosed(t *testing.T, r *running, path string, status int) {
	t.Helper()
	conn, rd := rawConn(t, r)
	_, err := io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: chorus\r\nContent-Type: application/json\r\n"+
		"Content-Length: 100\r\n\r\n{\"model\":")
	require.NoError(t, err)
	resp, err := http.ReadResponse(rd, nil)
	require.NoError(t, err)
	require.Equal(t, status, resp.StatusCode)
	require.True(t, resp.Close, "the answer announces Connection: close")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	requireClosed(t, rd)
	// Checked last: loading the official document the first time can take
	// longer than the connection's deadline on a busy machine.
	require.NoError(t, official.CheckAnswer(official.Answer{Method: http.MethodPost, Path: path, Status: resp.StatusCode,
		Header: resp.Header, Body: body, Complete: true}))
}

func TestSlowClients(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()

	t.Run("a body that never arrives gets 408 and the connection closed", func(t *testing.T) {
		r := serve(t, bootstrap.Options{Settings: slowClientSettings(fake, nil)})
		requireAnsweredAndClosed(t, r, "/v1/chat/completions", http.StatusRequestTimeout)
	})
	t.Run("on an Ollama route the 408 is Ollama's error", func(t *testing.T) {
		r := serve(t, bootstrap.Options{Settings: slowClientSettings(fake, nil)})
		requireAnsweredAndClosed(t, r, "/api/chat", http.StatusRequestTimeout)
	})
	t.Run("headers that never end: the connection is closed", func(t *testing.T) {
		r := serve(t, bootstrap.Options{Settings: slowClientSettings(fake, nil)})
		conn, rd := rawConn(t, r)
		_, err := io.WriteString(conn, "POST /v1/chat/completions HTTP/1.1\r\nHost: cho")
		require.NoError(t, err)
		requireClosed(t, rd)
	})
	t.Run("an idle keep-alive connection is closed", func(t *testing.T) {
		r := serve(t, bootstrap.Options{Settings: slowClientSettings(fake, nil)})
		conn, rd := rawConn(t, r)
		_, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: chorus\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(rd, nil)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.False(t, resp.Close)
		requireClosed(t, rd)
	})
	t.Run("an early 401 closes the connection instead of draining the body", func(t *testing.T) {
		r := serve(t, bootstrap.Options{Settings: slowClientSettings(fake, func(s *config.Settings) {
			s.Server.APIKeys = []domain.Secret{domain.NewSecret("inbound")}
			s.Server.Conn.ReadTimeout = time.Hour // only the early close can end it in time
		})})
		requireAnsweredAndClosed(t, r, "/v1/chat/completions", http.StatusUnauthorized)
	})
}

func TestMaxConnectionsHoldsTheRestUntilOneCloses(t *testing.T) {
	fake := fakeupstream.New(fakeupstream.Config{})
	defer fake.Close()

	t.Run("connections past max_connections wait until one closes", func(t *testing.T) {
		r := serve(t, bootstrap.Options{Settings: slowClientSettings(fake, func(s *config.Settings) {
			s.Server.Conn = config.ConnLimits{ReadTimeout: time.Hour, IdleTimeout: time.Hour, MaxConnections: 2}
		})})
		first, firstRd := rawConn(t, r)
		second, secondRd := rawConn(t, r)
		for _, c := range []struct {
			conn net.Conn
			rd   *bufio.Reader
		}{{first, firstRd}, {second, secondRd}} { // both accepted and served
			_, err := io.WriteString(c.conn, "GET /healthz HTTP/1.1\r\nHost: chorus\r\n\r\n")
			require.NoError(t, err)
			resp, err := http.ReadResponse(c.rd, nil)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
		}
		third, thirdRd := rawConn(t, r)
		_, err := io.WriteString(third, "GET /healthz HTTP/1.1\r\nHost: chorus\r\n\r\n")
		require.NoError(t, err)
		require.NoError(t, third.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
		_, err = thirdRd.Peek(1)
		require.ErrorIs(t, err, os.ErrDeadlineExceeded, "a third connection is not served while two are open")
		require.NoError(t, first.Close())
		require.NoError(t, third.SetReadDeadline(time.Now().Add(bound)))
		resp, err := http.ReadResponse(thirdRd, nil)
		require.NoError(t, err, "served once a slot is free")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.NoError(t, resp.Body.Close())
	})
}

func TestReadTimeoutDoesNotCutALongStream(t *testing.T) {
	t.Run("a stream that outlives read_timeout_secs is not cut", func(t *testing.T) {
		gate := make(chan struct{})
		held := fakeupstream.New(fakeupstream.Config{Hold: holdModel("w1", gate), Chunks: 3})
		defer held.Close()
		r := serve(t, bootstrap.Options{Settings: slowClientSettings(held, nil)})
		req, err := http.NewRequestWithContext(waitCtx(t), http.MethodPost, r.base+"/v1/chat/completions", stringsReader(chatBody("chorus", true)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		rd := bufio.NewReader(resp.Body)
		// Two keep-alives (1 s apart) mean the request ran past the 300 ms
		// read timeout with its body read and its answer not yet started.
		for seen := 0; seen < 2; {
			line, err := rd.ReadString('\n')
			require.NoError(t, err)
			if strings.HasPrefix(line, ":") {
				seen++
			}
		}
		close(gate)
		text, done, err := sseText(rd)
		require.NoError(t, err)
		require.True(t, done, "the stream ends with [DONE]")
		require.NotEmpty(t, text)
	})
}
