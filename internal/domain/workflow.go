package domain

// DefaultTemperature is used when nothing else decides a temperature.
const DefaultTemperature = 1.4

// DefaultWorkflowName is the model name that selects the workflow.
const DefaultWorkflowName = "chorus"

// Mode decides how the final answer is produced.
type Mode string

// Workflow modes.
const (
	// ModeSynthesize runs the selector then the synthesizer (the original's behaviour).
	ModeSynthesize Mode = "synthesize"
	// ModeSelect returns the selected candidate without a synthesizer call.
	ModeSelect Mode = "select"
)

// Target names a model used by a stage, with the stage's own temperature settings.
type Target struct {
	Model           string
	Temperature     OptFloat
	AutoTemperature OptBool
}

// Node is one worker of a plan. The set of kinds is closed: ModelNode and
// SubWorkflowNode today; a new kind is one new type implementing Node.
type Node interface {
	// Label names the node in logs, traces and errors.
	Label() string
	isNode()
}

// ModelNode is a worker that calls one model.
type ModelNode struct {
	Target
}

// Label implements Node.
func (n ModelNode) Label() string { return n.Model }
func (ModelNode) isNode()         {}

// SubWorkflowNode is a worker that runs a nested plan and contributes its
// final answer as one candidate.
type SubWorkflowNode struct {
	Plan *Plan
}

// Label implements Node.
func (n SubWorkflowNode) Label() string { return "workflow:" + n.Plan.Label() }
func (SubWorkflowNode) isNode()         {}

// Plan is one level of a workflow: analyzer, workers, optional selector and
// synthesizer (at least one of the two after inheritance).
type Plan struct {
	Analyzer    Target
	Workers     []Node
	Selector    *Target
	Synthesizer *Target
}

// Label names a plan as the original did: its synthesizer, else
// "selector:<model>", else its analyzer.
func (p *Plan) Label() string {
	switch {
	case p.Synthesizer != nil:
		return p.Synthesizer.Model
	case p.Selector != nil:
		return "selector:" + p.Selector.Model
	default:
		return p.Analyzer.Model
	}
}

// Prompts are optional template overrides for the stage prompts; empty
// fields use the defaults in the app.
type Prompts struct {
	Analyzer    string
	Selector    string
	Synthesizer string
}

// Workflow is the whole configured workflow together with the models it may call.
type Workflow struct {
	Name           string // the model name clients use for it (default "chorus")
	Root           *Plan
	Mode           Mode
	MaxConcurrency int // 0 = unbounded
	// Progress is the configured progress mode for streamed answers
	// (ProgressDefault behaves as ProgressReasoning).
	Progress Progress
	// ProgressNames shows model names instead of anonymous letters in
	// progress lines.
	ProgressNames bool
	Prompts       Prompts
	Models        map[string]ModelSpec
	// ModelOrder lists the names of Models in configuration order, for the
	// models list; when empty the app lists Models sorted by name.
	ModelOrder []string
	// Routing sends easy requests to one model (adaptive routing; off by default).
	Routing Routing
}
