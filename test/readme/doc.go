// Package readme holds the test that runs the commands of README.md's
// quick start against the real binary, so the README cannot drift from it.
package readme
