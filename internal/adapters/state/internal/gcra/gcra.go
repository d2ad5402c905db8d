// Package gcra is the generic cell rate algorithm both state backends
// implement: the in-memory one runs it in Go, the Redis one as the Lua
// script that mirrors it (see redisstate). Time is in microseconds.
package gcra

import "time"

// Period is the window a per-minute budget refills over.
const Period = time.Minute

// Params are the GCRA constants of a per-minute budget in microseconds:
// the emission interval of one unit and the burst tolerance (the whole
// budget).
func Params(perMinute int) (interval, tolerance int64) {
	tolerance = Period.Microseconds()
	return tolerance / int64(max(perMinute, 1)), tolerance
}

// Take computes Limiter.Take on the theoretical arrival time tat: it
// returns the new tat (unchanged when nothing is spent or it is refused),
// whether it is allowed and, if not, the wait in microseconds.
func Take(tat, now int64, perMinute, n int) (newTAT int64, allowed bool, wait int64) {
	interval, tolerance := Params(perMinute)
	tat = max(tat, now)
	next := tat + int64(max(n, 1))*interval
	if over := next - now - tolerance; over > 0 {
		return tat, false, over
	}
	if n == 0 {
		return tat, true, 0
	}
	return next, true, 0
}

// Charge computes Limiter.Charge: the budget is spent by n units, down to
// empty and never below.
func Charge(tat, now int64, perMinute, n int) int64 {
	interval, tolerance := Params(perMinute)
	tat = max(tat, now)
	return min(tat+int64(n)*interval, now+tolerance)
}
