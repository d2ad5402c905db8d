// Package domain holds Chorus' pure types and rules: chat requests and
// results, workflows and their nodes, temperature policy, the execution trace
// and typed errors. It imports only the standard library and performs no I/O.
package domain
