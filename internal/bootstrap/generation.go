package bootstrap

import (
	"net/http"
	"slices"
	"sync"

	"github.com/chorus-ai/chorus/internal/adapters/config"
	"github.com/chorus-ai/chorus/internal/adapters/llm"
)

// generation is one configuration's worth of built objects. It counts the
// requests running on it so that, once a reload has replaced it, it can be
// dropped the moment the last of them returns.
type generation struct {
	settings *config.Settings
	registry *llm.Registry
	http     http.Handler

	mu      sync.Mutex
	users   int  // requests running on this generation
	retired bool // replaced by a reload; no new request will pick it
}

// enter counts a request that will run on g.
func (g *generation) enter() {
	g.mu.Lock()
	g.users++
	g.mu.Unlock()
}

// leave uncounts a request; it reports whether g is retired and idle, so
// its caller can drop it.
func (g *generation) leave() (drop bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.users--
	return g.retired && g.users == 0
}

// retire marks g replaced; it reports whether g is already idle.
func (g *generation) retire() (drop bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.retired = true
	return g.users == 0
}

// retiredSet holds the generations a reload replaced while requests were
// still running on them; each leaves the set when its last request ends.
type retiredSet struct {
	mu   sync.Mutex
	gens []*generation
}

func (s *retiredSet) add(g *generation) {
	s.mu.Lock()
	s.gens = append(s.gens, g)
	s.mu.Unlock()
}

// drop removes g (if still held) and closes its idle upstream connections.
// It may run more than once for one generation: a request that picked g
// just before the reload retired it ends with a second drop, which closes
// the connections that request opened.
func (s *retiredSet) drop(g *generation) {
	s.mu.Lock()
	s.gens = slices.DeleteFunc(s.gens, func(x *generation) bool { return x == g })
	s.mu.Unlock()
	g.registry.CloseIdleConnections()
}

// len returns how many retired generations are still held.
func (s *retiredSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.gens)
}

// closeIdle closes the idle upstream connections of every held generation.
func (s *retiredSet) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.gens {
		g.registry.CloseIdleConnections()
	}
}
