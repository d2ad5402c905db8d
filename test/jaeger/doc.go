// Package jaeger holds the e2e-jaeger test (build tag e2ejaeger): it runs the
// real chorus binary with OTLP export pointed at a Jaeger v2 started by
// scripts/e2e-jaeger.sh, sends one workflow request and checks the trace
// Jaeger stored through its HTTP query API. Run it with `make e2e-jaeger`.
package jaeger
