package domain

import "fmt"

// PanicError is a panic recovered inside a request's work (a model call, a
// worker, the keep-alive ticker), turned into that part's failure so one
// bad component cannot take the process down. Stack is for the log only;
// Error never includes it.
type PanicError struct {
	Where string // what was running: "model m", "worker w", "keep-alive"
	Value any    // the value passed to panic
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("%s panicked: %v", e.Where, e.Value) }

// Unwrap exposes a panic value that is itself an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}
