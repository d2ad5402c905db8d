package domain

// OptFloat is a float64 that may be unset. Value types with an "is set" flag
// keep zero values meaningful without pointers.
type OptFloat struct {
	Value float64
	Set   bool
}

// SomeFloat returns a set OptFloat.
func SomeFloat(v float64) OptFloat { return OptFloat{Value: v, Set: true} }

// Or returns the value when set, else def.
func (o OptFloat) Or(def float64) float64 {
	if o.Set {
		return o.Value
	}
	return def
}

// OptBool is a bool that may be unset, so an explicit false can be told apart
// from "not configured".
type OptBool struct {
	Value bool
	Set   bool
}

// SomeBool returns a set OptBool.
func SomeBool(v bool) OptBool { return OptBool{Value: v, Set: true} }

// OptInt is an int that may be unset.
type OptInt struct {
	Value int
	Set   bool
}

// SomeInt returns a set OptInt.
func SomeInt(v int) OptInt { return OptInt{Value: v, Set: true} }
