package domain

// ChatResult is the final answer to a ChatRequest.
type ChatResult struct {
	Model        string // the model name to report to the client (as requested)
	Text         string
	Reasoning    string
	ToolCalls    []ToolCall
	FinishReason string
	Usage        Usage
	// Trace is the workflow's execution record; nil for passthrough requests.
	Trace *ExecutionTrace
	// WorkflowID identifies the run in logs and traces (also set for passthrough).
	WorkflowID string
}

// ModelInfo is one entry of the models list.
type ModelInfo struct {
	Name       string
	IsWorkflow bool
	Provider   string
	// Tools and Vision say whether tool calls and images really work: for
	// the workflow, whether at least one worker takes them.
	Tools  bool
	Vision bool
}
