package bench

import (
	"slices"
	"time"
)

// Summary is the outcome of one load run.
type Summary struct {
	// Count is the number of successful requests.
	Count int
	// Errors counts failed requests (transport errors, non-2xx, bad bodies).
	Errors int
	// FirstError is the text of the first failure, for the report.
	FirstError string
	// Elapsed is the measured duration of the run.
	Elapsed time.Duration
	// RPS is successful requests per second.
	RPS float64
	// Percentiles of the successful requests' latencies.
	P50, P90, P99, Max time.Duration
}

// Summarize computes a Summary from successful latencies (reordered in
// place), the error count and the run's duration. Percentiles use the
// nearest-rank method.
func Summarize(lat []time.Duration, errs int, firstErr string, elapsed time.Duration) Summary {
	s := Summary{Count: len(lat), Errors: errs, FirstError: firstErr, Elapsed: elapsed}
	if elapsed > 0 {
		s.RPS = float64(len(lat)) / elapsed.Seconds()
	}
	if len(lat) == 0 {
		return s
	}
	slices.Sort(lat)
	s.P50 = Percentile(lat, 50)
	s.P90 = Percentile(lat, 90)
	s.P99 = Percentile(lat, 99)
	s.Max = lat[len(lat)-1]
	return s
}

// Percentile returns the nearest-rank p-th percentile of sorted, or 0 when
// it is empty.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted)) + 0.999999999)
	rank = max(1, min(rank, len(sorted)))
	return sorted[rank-1]
}
