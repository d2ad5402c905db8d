package bench

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
)

// Pinning tells which cores the benchmark uses, or that it does not pin.
type Pinning struct {
	// Enabled is true when taskset exists and the machine has two cores or
	// more.
	Enabled bool
	// GatewayCPU runs the gateway; LoadCPU runs the load generator and the
	// fake upstream (this process).
	GatewayCPU, LoadCPU int
}

// DetectPinning returns the layout of the reference setup (gateway
// on CPU 0, everything else on CPU 1) when taskset is available.
func DetectPinning() Pinning {
	if runtime.NumCPU() < 2 {
		return Pinning{}
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		return Pinning{}
	}
	return Pinning{Enabled: true, GatewayCPU: 0, LoadCPU: 1}
}

// String describes the pinning for the report header.
func (p Pinning) String() string {
	if !p.Enabled {
		return "none (taskset unavailable or 1 CPU)"
	}
	return fmt.Sprintf("gateway cpu%d, load+upstream cpu%d", p.GatewayCPU, p.LoadCPU)
}

// PinSelf moves every thread of this process to the load CPU (threads
// created later inherit it) and sets GOMAXPROCS to 1 to match.
func (p Pinning) PinSelf() error {
	if !p.Enabled {
		return nil
	}
	cmd := exec.Command("taskset", "-a", "-p", "-c", strconv.Itoa(p.LoadCPU), strconv.Itoa(os.Getpid()))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("taskset self: %w: %s", err, out)
	}
	runtime.GOMAXPROCS(1)
	return nil
}

// command returns the argv that runs bin with args on the gateway CPU.
func (p Pinning) command(bin string, args ...string) []string {
	if !p.Enabled {
		return append([]string{bin}, args...)
	}
	return append([]string{"taskset", "-c", strconv.Itoa(p.GatewayCPU), bin}, args...)
}
