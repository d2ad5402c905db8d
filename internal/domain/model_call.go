package domain

// ModelCall is one request to one configured upstream model.
type ModelCall struct {
	Model    string // configured [[model]] name
	Messages []Message
	Params   Params // Params.Temperature is always set for workflow calls
}

// Completion is a model's whole answer.
type Completion struct {
	Text         string
	Reasoning    string // thinking/reasoning text, kept out of Text
	ToolCalls    []ToolCall
	FinishReason string
	Usage        Usage
	Attempts     int // upstream attempts made (1 without retries)
	// Deployments records each attempt of a model with several
	// deployments; nil for a single-endpoint model.
	Deployments []DeploymentAttempt
}

// Delta is one streamed increment of an answer. ToolCalls carry fragments
// (Index identifies the call; ID and Name arrive once, Arguments in pieces).
type Delta struct {
	Text         string
	Reasoning    string
	ToolCalls    []ToolCall
	FinishReason string
}

// StreamEvent is what a streaming use case emits: either a delta or a
// keep-alive tick sent while earlier workflow stages run, which the HTTP
// adapter turns into its wire format's keep-alive. A delta with only
// Reasoning set is reasoning text: an upstream model's thinking, or a
// workflow progress line (see Progress), which the HTTP adapter renders in
// its wire format's reasoning channel.
type StreamEvent struct {
	KeepAlive bool
	Delta     Delta
	// Model, when set, is the configured model whose answer the delta is
	// part of: the model a passthrough request named, or the fallback that
	// answered instead. Empty on workflow streams, which answer under the
	// workflow's name.
	Model string
}
