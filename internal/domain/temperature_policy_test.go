package domain

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTemperaturePolicyResolvesWorkers(t *testing.T) {
	t.Parallel()
	suggested := SomeFloat(0.4)
	tests := []struct {
		name       string
		node       Target
		model      ModelSpec
		analyzer   bool
		suggestion OptFloat
		want       TemperatureChoice
		needs      bool
	}{
		{"node value wins over everything", Target{Temperature: SomeFloat(0.2), AutoTemperature: SomeBool(true)},
			ModelSpec{Temperature: SomeFloat(0.9)}, true, suggested, TemperatureChoice{0.2, TempFromNode}, false},
		{"model value wins over the analyzer", Target{AutoTemperature: SomeBool(true)},
			ModelSpec{Temperature: SomeFloat(0.9)}, true, suggested, TemperatureChoice{0.9, TempFromModel}, false},
		{"node auto uses the suggestion", Target{AutoTemperature: SomeBool(true)},
			ModelSpec{}, false, suggested, TemperatureChoice{0.4, TempFromAnalyzer}, true},
		{"model auto uses the suggestion", Target{},
			ModelSpec{AutoTemperature: SomeBool(true)}, false, suggested, TemperatureChoice{0.4, TempFromAnalyzer}, true},
		{"analyzer auto is inherited", Target{}, ModelSpec{}, true, suggested,
			TemperatureChoice{0.4, TempFromAnalyzer}, true},
		{"explicit false on the node beats an auto analyzer", Target{AutoTemperature: SomeBool(false)},
			ModelSpec{AutoTemperature: SomeBool(true)}, true, suggested, TemperatureChoice{DefaultTemperature, TempFromDefault}, false},
		{"explicit false on the model beats an auto analyzer", Target{},
			ModelSpec{AutoTemperature: SomeBool(false)}, true, suggested, TemperatureChoice{DefaultTemperature, TempFromDefault}, false},
		{"auto without a suggestion falls back to the default", Target{}, ModelSpec{}, true, OptFloat{},
			TemperatureChoice{DefaultTemperature, TempFromDefault}, true},
		{"nothing set gives the default", Target{}, ModelSpec{}, false, suggested,
			TemperatureChoice{DefaultTemperature, TempFromDefault}, false},
		{"a high node value is clamped", Target{Temperature: SomeFloat(5)}, ModelSpec{}, false, OptFloat{},
			TemperatureChoice{2, TempFromNode}, false},
		{"a negative model value is clamped", Target{}, ModelSpec{Temperature: SomeFloat(-1)}, false, OptFloat{},
			TemperatureChoice{0, TempFromModel}, false},
		{"a high suggestion is clamped", Target{}, ModelSpec{}, true, SomeFloat(3.5),
			TemperatureChoice{2, TempFromAnalyzer}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := NewTemperaturePolicy(tc.node, tc.model, tc.analyzer)
			require.Equal(t, tc.want, p.Resolve(tc.suggestion))
			require.Equal(t, tc.needs, p.NeedsSuggestion())
		})
	}
}

func TestTemperaturePolicyFixesStageCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		node  Target
		model ModelSpec
		want  TemperatureChoice
	}{
		{"node value wins", Target{Temperature: SomeFloat(0.1)}, ModelSpec{Temperature: SomeFloat(0.8)}, TemperatureChoice{0.1, TempFromNode}},
		{"model value is next", Target{}, ModelSpec{Temperature: SomeFloat(0.8)}, TemperatureChoice{0.8, TempFromModel}},
		{"auto plays no part", Target{AutoTemperature: SomeBool(true)}, ModelSpec{}, TemperatureChoice{0.3, TempFromDefault}},
		{"values are clamped", Target{Temperature: SomeFloat(9)}, ModelSpec{}, TemperatureChoice{2, TempFromNode}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, NewTemperaturePolicy(tc.node, tc.model, true).Fixed(0.3))
		})
	}
}

func TestClampTemperatureHandlesNaN(t *testing.T) {
	t.Parallel()
	require.InDelta(t, DefaultTemperature, ClampTemperature(math.NaN()), 0)
	require.InDelta(t, 1.0, ClampTemperature(1), 0)
}
