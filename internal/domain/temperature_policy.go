package domain

import "math"

// Temperature bounds: every resolved temperature is clamped to this range.
const (
	MinTemperature = 0.0
	MaxTemperature = 2.0
)

// Default temperatures of the stage calls when neither the stage's node nor
// its model sets one. The analyzer runs cold, as in the original, so its
// suggestion is stable; the selector judges, so it runs cold too; the
// synthesizer writes, so it gets a little more room than the judge.
const (
	AnalyzerCallTemperature    = 0.3
	SelectorCallTemperature    = 0.3
	SynthesizerCallTemperature = 0.7
)

// TemperatureChoice is a resolved temperature and the rule that chose it.
type TemperatureChoice struct {
	Value  float64
	Source TemperatureSource
}

// ClampTemperature limits v to [MinTemperature, MaxTemperature]; NaN becomes
// DefaultTemperature.
func ClampTemperature(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return DefaultTemperature
	case v < MinTemperature:
		return MinTemperature
	case v > MaxTemperature:
		return MaxTemperature
	}
	return v
}

// TemperaturePolicy holds everything that decides the temperature of one
// call: the node's and the model's settings and, for workers, whether the
// enclosing plan's analyzer has auto temperature on.
type TemperaturePolicy struct {
	Node          OptFloat
	NodeAuto      OptBool
	Model         OptFloat
	ModelAuto     OptBool
	InheritedAuto bool
}

// NewTemperaturePolicy builds the policy of a target running on a model;
// inheritedAuto is the enclosing analyzer's auto flag (false for stages).
func NewTemperaturePolicy(t Target, m ModelSpec, inheritedAuto bool) TemperaturePolicy {
	return TemperaturePolicy{
		Node:          t.Temperature,
		NodeAuto:      t.AutoTemperature,
		Model:         m.Temperature,
		ModelAuto:     m.AutoTemperature,
		InheritedAuto: inheritedAuto,
	}
}

// Auto reports whether auto temperature is on: the node's explicit flag wins
// (so an explicit false beats an auto analyzer), then the model's, then the
// inherited one.
func (p TemperaturePolicy) Auto() bool {
	switch {
	case p.NodeAuto.Set:
		return p.NodeAuto.Value
	case p.ModelAuto.Set:
		return p.ModelAuto.Value
	}
	return p.InheritedAuto
}

// NeedsSuggestion reports whether Resolve would use an analyzer suggestion,
// i.e. whether the analyzer must be asked at all.
func (p TemperaturePolicy) NeedsSuggestion() bool {
	return !p.Node.Set && !p.Model.Set && p.Auto()
}

// Resolve returns a worker's temperature: the node's explicit value > the
// model's > the analyzer's suggestion when auto is on and a suggestion
// exists > DefaultTemperature, clamped to [0, 2].
func (p TemperaturePolicy) Resolve(suggestion OptFloat) TemperatureChoice {
	if p.NeedsSuggestion() && suggestion.Set {
		return TemperatureChoice{Value: ClampTemperature(suggestion.Value), Source: TempFromAnalyzer}
	}
	return p.Fixed(DefaultTemperature)
}

// Fixed returns a stage call's temperature: the node's explicit value > the
// model's > def, clamped to [0, 2]. Auto temperature plays no part.
func (p TemperaturePolicy) Fixed(def float64) TemperatureChoice {
	switch {
	case p.Node.Set:
		return TemperatureChoice{Value: ClampTemperature(p.Node.Value), Source: TempFromNode}
	case p.Model.Set:
		return TemperatureChoice{Value: ClampTemperature(p.Model.Value), Source: TempFromModel}
	}
	return TemperatureChoice{Value: ClampTemperature(def), Source: TempFromDefault}
}
