package fakeupstream

import (
	"math/rand/v2"
	"sync"
)

// Fault is a failure the Server injects instead of a normal answer.
type Fault string

// Injectable faults.
const (
	FaultNone Fault = ""
	// Fault500 answers HTTP 500 with an error body.
	Fault500 Fault = "500"
	// Fault401 answers HTTP 401 with an error body.
	Fault401 Fault = "401"
	// FaultInvalidJSON answers 200 with a body (or stream event) that is not JSON.
	FaultInvalidJSON Fault = "invalid_json"
	// FaultEmpty answers 200 with an empty body.
	FaultEmpty Fault = "empty"
	// FaultCutStream sends part of the answer, then drops the connection.
	FaultCutStream Fault = "cut_stream"
	// FaultSlow waits Config.SlowDelay (or until the client gives up) before answering.
	FaultSlow Fault = "slow"
	// Fault429 answers HTTP 429 with Retry-After: Config.RetryAfterSecs
	// (not in AllFaults: clients may wait it out).
	Fault429 Fault = "429"
)

// AllFaults lists every injectable fault.
var AllFaults = []Fault{Fault500, Fault401, FaultInvalidJSON, FaultEmpty, FaultCutStream, FaultSlow}

// FaultFunc decides the fault for a request (FaultNone answers normally).
// It is called concurrently.
type FaultFunc func(r Request) Fault

// Always injects f into every request.
func Always(f Fault) FaultFunc { return func(Request) Fault { return f } }

// ForModel injects f into requests for the named model only.
func ForModel(model string, f Fault) FaultFunc {
	return func(r Request) Fault {
		if r.Model == model {
			return f
		}
		return FaultNone
	}
}

// ForKind injects f into requests of one Kind only.
func ForKind(k Kind, f Fault) FaultFunc {
	return func(r Request) Fault {
		if r.Kind == k {
			return f
		}
		return FaultNone
	}
}

// Random injects one of faults (uniformly) with probability rate, from a
// seeded source so a run is reproducible in its mix (not its interleaving).
func Random(seed uint64, rate float64, faults ...Fault) FaultFunc {
	if len(faults) == 0 {
		faults = AllFaults
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(Request) Fault {
		mu.Lock()
		defer mu.Unlock()
		if rng.Float64() >= rate {
			return FaultNone
		}
		return faults[rng.IntN(len(faults))]
	}
}
