package domain

import "time"

// CallStatus is the outcome of one stage or upstream call.
type CallStatus string

// Call statuses recorded in the trace.
const (
	StatusOK       CallStatus = "ok"
	StatusError    CallStatus = "error"
	StatusTimeout  CallStatus = "timeout"
	StatusSkipped  CallStatus = "skipped"
	StatusFallback CallStatus = "fallback"
	StatusCanceled CallStatus = "canceled"
)

// TemperatureSource says which rule chose a temperature.
type TemperatureSource string

// Temperature sources, in precedence order.
const (
	TempFromNode     TemperatureSource = "node"
	TempFromModel    TemperatureSource = "model"
	TempFromAnalyzer TemperatureSource = "analyzer"
	TempFromDefault  TemperatureSource = "default"
	TempFromRequest  TemperatureSource = "request" // passthrough: the client's own value
)

// CallTrace records one upstream call (or a skipped/fallback stage).
type CallTrace struct {
	Model             string
	Temperature       float64
	TemperatureSource TemperatureSource
	Start             time.Duration // offset from the workflow start
	Duration          time.Duration
	Status            CallStatus
	Error             string
	Usage             Usage
	Attempts          int
	// FallbackFrom is the model the stage asked for when one of its
	// fallbacks (Model) answered instead.
	FallbackFrom string
	// Deployments records each attempt of a model with several deployments.
	Deployments []DeploymentAttempt
	// Note says why a call was skipped or changed (a tool answer skips the
	// synthesizer, images removed for a vision = false worker).
	Note string
}

// ToolCallTrace records one tool call of a candidate: its function and the
// size of its arguments, never their values (they may carry user data).
type ToolCallTrace struct {
	Name          string
	ArgumentBytes int
}

// Answer kinds recorded in OutputTrace.
const (
	AnswerText      = "text"
	AnswerToolCalls = "tool_calls"
)

// OutputTrace records how a plan's final answer was settled: its kind, where
// it came from and, for structured output, whether it validated.
type OutputTrace struct {
	Kind   string // AnswerText or AnswerToolCalls
	Source string // "synthesizer", or the candidate label the answer is
	Format string // "json_object" / "json_schema" when structured output was asked
	Valid  OptBool
	Note   string // why the answer was chosen, or why it is known invalid
}

// AnalyzerTrace records the analyzer stage.
type AnalyzerTrace struct {
	CallTrace
	SuggestedTemperature OptFloat
	TaskType             string
	Reasoning            string
	Difficulty           Difficulty // "" when routing is off and the analyzer gave none
}

// WorkerTrace records one worker; Nested is set for sub-workflow nodes.
type WorkerTrace struct {
	Label     string
	Call      CallTrace // for a sub-workflow: its timing and status, Model empty
	Response  string
	ToolCalls []ToolCallTrace
	Nested    *ExecutionTrace
}

// SelectorTrace records the selector stage.
type SelectorTrace struct {
	CallTrace
	SelectedIndex int    // 1-based; 0 when none
	SelectedLabel string // the candidate's neutral label ("Response A")
	SelectedNode  string // the chosen worker's node label
	Reasoning     string
	RawOutput     string
}

// SynthesizerTrace records the synthesizer stage.
type SynthesizerTrace struct {
	CallTrace
}

// ExecutionTrace is the per-request record of a workflow run: the
// `workflow` object clients get with include_workflow.
type ExecutionTrace struct {
	WorkflowID  string
	Plan        string // plan label
	Mode        Mode
	Start       time.Duration // offset from the root workflow start (0 at the root)
	Duration    time.Duration
	Status      CallStatus
	Error       string
	Analyzer    *AnalyzerTrace
	Workers     []WorkerTrace
	Selector    *SelectorTrace
	Synthesizer *SynthesizerTrace
	// Routed is set when adaptive routing answered with one model; the
	// workers, selector and synthesizer then did not run.
	Routed *RouteTrace
	Output *OutputTrace
	Usage  Usage // summed over every call of this plan, nested plans included
}
