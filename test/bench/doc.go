// Package bench is the gateway load benchmark behind `make bench`: it starts
// the fixed-latency fake upstream (package upstream) and the real chorus
// binary, pins them to separate cores when taskset is available, drives
// open-loop (vegeta, as a library) and closed-loop load directly at the
// upstream and through the gateway in the same run, and reports each
// scenario as one line of ratios against the targets.
//
// The pieces are usable on their own: Summarize (latency percentiles),
// ClosedLoop and OpenLoop (load drivers), ProcCPU and PeakRSS (/proc
// readings), StartGateway (the binary under test) and PinSelf (taskset).
package bench
