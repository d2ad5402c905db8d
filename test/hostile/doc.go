// Package hostile runs the real chorus binary against upstreams that never
// stop sending (an endless line, an event without its blank line, an endless
// valid stream) on every streamed route for a while, and checks that the
// process stays small and every stream ends with its protocol's error. It is
// a wall-clock load test: it runs only with CHORUS_LOAD_TESTS=1 (make
// test-e2e), never in make test.
package hostile
