package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// Model names of the benchmark configuration.
const (
	// PassthroughModel is the [[model]] a passthrough request names (fast
	// upstream).
	PassthroughModel = "bench-fast"
	// WorkflowModel is the workflow's name.
	WorkflowModel = "chorus"
)

// workflowModels are the workflow's models, all on the slow upstream.
var workflowModels = []string{"bench-analyzer", "bench-w1", "bench-w2", "bench-w3", "bench-selector", "bench-synth"}

// ConfigParams are the variable parts of the gateway's configuration.
type ConfigParams struct {
	Port int
	// FastURL and SlowURL are api_base values of the two fake upstreams.
	FastURL, SlowURL string
	// Depth is [workflow-integration] nested_worker_depth.
	Depth int
	// Pprof mounts /debug/pprof on the admin listener.
	Pprof bool
	// Cache turns the answer cache on ([cache] enabled). Every other
	// scenario runs with it off, and no scenario sets a rate limit.
	Cache bool
	// AdminPort is the admin listener's port on 127.0.0.1 (/metrics,
	// /debug/pprof); 0 turns the admin listener off.
	AdminPort int
}

// ConfigTOML renders the gateway configuration: one passthrough model on the
// fast upstream and a workflow (analyzer with auto temperature, three
// workers, selector, synthesizer) on the slow one.
func ConfigTOML(p ConfigParams) string {
	var b strings.Builder
	admin := ""
	if p.AdminPort > 0 {
		admin = "127.0.0.1:" + strconv.Itoa(p.AdminPort)
	}
	fmt.Fprintf(&b, "[server]\nhost = \"127.0.0.1\"\nport = %d\nadmin_addr = %q\npprof = %t\n\n", p.Port, admin, p.Pprof)
	model := func(name, base, extra string) {
		fmt.Fprintf(&b, "[[model]]\nname = %q\nprovider = \"openai\"\napi_base = %q\napi_key = \"bench-key\"\n%s\n", name, base, extra)
	}
	if p.Cache {
		b.WriteString("[cache]\nenabled = true\n\n")
	}
	model(PassthroughModel, p.FastURL, "")
	for _, m := range workflowModels {
		extra := ""
		if m == "bench-analyzer" {
			extra = "auto_temperature = true\n"
		}
		model(m, p.SlowURL, extra)
	}
	fmt.Fprintf(&b, `[workflow-integration]
nested_worker_depth = %d
json = '''
{
  "analyzer": { "ref": "bench-analyzer", "auto_temperature": true },
  "workers": [ "bench-w1", "bench-w2", "bench-w3" ],
  "selector": { "ref": "bench-selector" },
  "synthesizer": { "ref": "bench-synth" }
}
'''

[workflow]
name = %q
mode = "synthesize"

[workflow.timeouts]
analyzer_timeout_secs = 30
worker_timeout_secs = 60
synthesizer_timeout_secs = 60
`, max(p.Depth, 1), WorkflowModel)
	return b.String()
}

// CriticalCalls is the number of upstream calls on the longest sequential
// chain of one workflow request of ConfigTOML at depth levels: each level
// runs analyzer, workers (concurrently), selector and synthesizer, and a
// level's workers are the next level's sub-workflows.
func CriticalCalls(depth int) int {
	depth = max(depth, 1)
	return 3*depth + 1
}

// WorkerCalls is the number of leaf worker calls of one request at depth.
func WorkerCalls(depth int) int {
	return 3 << (max(depth, 1) - 1)
}
