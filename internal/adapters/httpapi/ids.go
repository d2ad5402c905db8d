package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync/atomic"
)

// idGenerator makes response ids unique under concurrency: a random
// per-process prefix plus an atomic counter, so no two ids collide and
// generating one costs no syscall.
type idGenerator struct {
	prefix string
	n      atomic.Uint64
}

func newIDGenerator() (*idGenerator, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("httpapi: id prefix: %w", err)
	}
	return &idGenerator{prefix: hex.EncodeToString(b[:])}, nil
}

// next returns kind + a unique suffix, e.g. "chatcmpl-1a2b3c4d5e6f0000001".
func (g *idGenerator) next(kind string) string {
	n := g.n.Add(1)
	buf := make([]byte, 0, len(kind)+len(g.prefix)+13)
	buf = append(buf, kind...)
	buf = append(buf, g.prefix...)
	return string(strconv.AppendUint(buf, n, 36))
}

// randomID returns 16 random bytes in hex (request ids).
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
