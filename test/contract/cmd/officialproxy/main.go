// Command officialproxy sits in front of a server for clients Go tests
// cannot drive (the Node suites of `make test-node`) and checks every
// answer they read against the official OpenAI and Ollama documents
// (contract.CheckAnswer). It splices each TCP connection unchanged (an HTTP
// reverse proxy changed what clients saw: it cut streams the client was
// still reading) and reads the HTTP exchanges from a copy of the bytes once
// the connection closes. It prints "ready" once listening; on SIGTERM or
// SIGINT it stops, prints every violation and exits 1 if there was any.
//
// Usage: officialproxy -port N -target 127.0.0.1:M
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/chorus-ai/chorus/test/contract"
)

// maxConnBytes bounds what is kept of one connection per direction; a
// longer connection is relayed but not checked.
const maxConnBytes = 64 << 20

func main() {
	port := flag.Int("port", 0, "loopback port to listen on")
	target := flag.String("target", "", "host:port of the server behind the proxy")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, *port, *target); err != nil {
		fmt.Fprintln(os.Stderr, "officialproxy:", err)
		os.Exit(1)
	}
}

// tally collects the outcome of every connection.
type tally struct {
	mu       sync.Mutex
	checked  int
	skipped  int
	problems []error
}

func (t *tally) add(checked, skipped int, errs []error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.checked += checked
	t.skipped += skipped
	t.problems = append(t.problems, errs...)
}

func run(ctx context.Context, port int, target string) error {
	if _, _, err := net.SplitHostPort(target); err != nil {
		return fmt.Errorf("-target %q is not host:port: %w", target, err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var (
		t     tally
		conns sync.WaitGroup
		live  sync.Map // net.Conn → struct{}: closed at shutdown if still open
	)
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	fmt.Println("ready")
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return fmt.Errorf("accept: %w", err)
		}
		live.Store(c, struct{}{})
		conns.Add(1)
		go func() {
			defer conns.Done()
			defer live.Delete(c)
			t.add(splice(c, target))
		}()
	}
	// The clients have finished; give their connections a moment to close.
	done := make(chan struct{})
	go func() { conns.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		live.Range(func(c, _ any) bool { _ = c.(net.Conn).Close(); return true })
		<-done
	}
	fmt.Printf("checked %d answers against the official documents (%d not checked: too long)\n", t.checked, t.skipped)
	if len(t.problems) > 0 {
		return fmt.Errorf("answers that break the official documents:\n%w", errors.Join(t.problems...))
	}
	return nil
}

// capped keeps up to maxConnBytes of what passes through it.
type capped struct {
	bytes.Buffer
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if !c.over && c.Len()+len(p) <= maxConnBytes {
		c.Buffer.Write(p)
	} else {
		c.over = true
	}
	return len(p), nil
}

// splice relays one client connection to target both ways, then checks the
// exchanges it carried.
func splice(client net.Conn, target string) (checked, skipped int, errs []error) {
	defer client.Close()
	server, err := net.Dial("tcp", target)
	if err != nil {
		return 0, 0, []error{fmt.Errorf("dial %s: %w", target, err)}
	}
	defer server.Close()
	var sent, received capped
	up := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.MultiWriter(server, &sent), client)
		if tc, ok := server.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		close(up)
	}()
	_, _ = io.Copy(io.MultiWriter(client, &received), server)
	_ = client.Close()
	<-up
	if sent.over || received.over {
		return 0, 1, nil
	}
	return exchanges(sent.Bytes(), received.Bytes())
}

// exchanges pairs the requests and answers of one connection and checks
// each answer; an answer cut short is checked for its whole frames.
func exchanges(sent, received []byte) (checked, skipped int, errs []error) {
	reqs := bufio.NewReader(bytes.NewReader(sent))
	resps := bufio.NewReader(bytes.NewReader(received))
	for {
		req, err := http.ReadRequest(reqs)
		if err != nil {
			return checked, skipped, errs
		}
		_, _ = io.Copy(io.Discard, req.Body)
		resp, err := http.ReadResponse(resps, req)
		if err != nil {
			return checked, skipped, errs
		}
		body, readErr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		a := contract.Answer{Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Header: resp.Header,
			Body: body, Complete: readErr == nil}
		if err := contract.CheckAnswer(a); err != nil {
			errs = append(errs, err)
		}
		checked++
		if readErr != nil {
			return checked, skipped, errs
		}
	}
}
