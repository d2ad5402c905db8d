package domain

import "strings"

// Difficulty is the analyzer's rating of how hard a request is; adaptive
// routing answers requests at or below a threshold with one model.
type Difficulty string

// Difficulty ratings, easiest first.
const (
	DifficultyTrivial Difficulty = "trivial"
	DifficultyNormal  Difficulty = "normal"
	DifficultyHard    Difficulty = "hard"
)

// ParseDifficulty reads a rating leniently (synonyms, any case); anything
// unknown or missing is DifficultyNormal, so a vague analyzer never routes.
func ParseDifficulty(s string) Difficulty {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "trivial", "easy", "simple", "very easy", "low":
		return DifficultyTrivial
	case "hard", "difficult", "complex", "very hard", "high", "challenging":
		return DifficultyHard
	}
	return DifficultyNormal
}

// AtMost reports whether d is no harder than limit.
func (d Difficulty) AtMost(limit Difficulty) bool { return d.rank() <= limit.rank() }

func (d Difficulty) rank() int {
	switch d {
	case DifficultyTrivial:
		return 0
	case DifficultyHard:
		return 2
	}
	return 1
}

// Routing is adaptive routing's configuration: requests the analyzer rates
// at or below Threshold are answered by the single model EasyTo.
type Routing struct {
	EasyTo    string     // "" = off
	Threshold Difficulty // default DifficultyTrivial
}

// Enabled reports whether adaptive routing is on.
func (r Routing) Enabled() bool { return r.EasyTo != "" }

// RouteTrace records a request that adaptive routing answered with one
// model instead of the workers.
type RouteTrace struct {
	CallTrace
	Difficulty Difficulty
	Threshold  Difficulty
	Reason     string // the analyzer's reasoning
}
