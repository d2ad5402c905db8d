package domain

import (
	"math"
	"slices"
)

// z95 is the standard normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// WilsonInterval returns the Wilson score 95% interval of a proportion with
// successes out of n trials (successes may be fractional: ties count half).
// It stays inside [0, 1] and is sensible for small n and for 0% or 100%,
// where the normal approximation collapses to a point. n = 0 gives [0, 1].
func WilsonInterval(successes float64, n int) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	nf := float64(n)
	p := successes / nf
	z2 := z95 * z95
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / denom
	return math.Max(0, center-half), math.Min(1, center+half)
}

// Percentile returns the q-th quantile (0 ≤ q ≤ 1) of values by linear
// interpolation between the closest ranks; 0 for no values.
func Percentile(values []float64, q float64) float64 {
	if len(values) == 0 {
		return 0
	}
	s := slices.Clone(values)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

// PairTally counts the pairs of one opponent.
type PairTally struct {
	Wins, Ties, Losses int
	Biased             int // pairs whose verdict changed with the order
}

// Tally counts the outcomes of pairs.
func Tally(pairs []PairResult) PairTally {
	var t PairTally
	for _, p := range pairs {
		switch p.Outcome() {
		case OutcomeWin:
			t.Wins++
		case OutcomeTie:
			t.Ties++
		default:
			t.Losses++
		}
		if p.PositionBiased() {
			t.Biased++
		}
	}
	return t
}

// N is the number of pairs counted.
func (t PairTally) N() int { return t.Wins + t.Ties + t.Losses }

// WinRate is the workflow's score share: (wins + ties/2) / pairs; 0 for none.
func (t PairTally) WinRate() float64 {
	if t.N() == 0 {
		return 0
	}
	return (float64(t.Wins) + float64(t.Ties)/2) / float64(t.N())
}

// Interval is the Wilson 95% interval of WinRate.
func (t PairTally) Interval() (low, high float64) {
	return WilsonInterval(float64(t.Wins)+float64(t.Ties)/2, t.N())
}

// PositionBias is the share of pairs whose verdict changed with the order.
func (t PairTally) PositionBias() float64 {
	if t.N() == 0 {
		return 0
	}
	return float64(t.Biased) / float64(t.N())
}
