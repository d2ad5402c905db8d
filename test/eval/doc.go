// Package eval holds the black-box tests of `chorus eval`: the real binary
// runs offline (the echo provider, or a scripted fake upstream), and the
// tests recompute the report's numbers from its raw judgements, interrupt
// and resume a run, and open the HTML report in headless Chromium.
package eval
