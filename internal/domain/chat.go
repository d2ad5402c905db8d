package domain

// Role is the author of a chat message.
type Role string

// Chat roles understood by every wire format Chorus speaks.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// RawJSON is an opaque JSON value (a tool schema, a tool_choice, a
// response_format) that Chorus forwards without interpreting.
type RawJSON []byte

// Message is one turn of a conversation.
type Message struct {
	Role       Role
	Content    string
	Name       string
	ToolCalls  []ToolCall // assistant turns that called tools
	ToolCallID string     // tool turns answering a call
	Images     []string   // base64 images (Ollama) or data/URLs (OpenAI), forwarded on passthrough
}

// ToolCall is a function call requested by a model. Arguments is the JSON
// text of the arguments object (OpenAI's string form; the Ollama adapters
// convert to and from its object form).
type ToolCall struct {
	Index     int
	ID        string
	Name      string
	Arguments string
}

// Tool is a function the client offers to the model.
type Tool struct {
	Name        string
	Description string
	Parameters  RawJSON // JSON schema
}

// Params are optional sampling and output parameters forwarded upstream.
type Params struct {
	Temperature      OptFloat
	TopP             OptFloat
	MaxTokens        OptInt
	Seed             OptInt
	PresencePenalty  OptFloat
	FrequencyPenalty OptFloat
	Stop             []string
	Tools            []Tool
	ToolChoice       RawJSON
	// ParallelToolCalls is the client's parallel_tool_calls; unset leaves
	// the upstream's default (parallel calls allowed).
	ParallelToolCalls OptBool
	ResponseFormat    RawJSON
}

// ChatRequest is what a client asked for, whichever wire format it used.
type ChatRequest struct {
	// Model is the name the client sent: a configured model name selects
	// passthrough, anything else (including empty) selects the workflow.
	Model           string
	Messages        []Message
	Params          Params
	Stream          bool
	IncludeWorkflow bool
	// Progress is the request's own choice of workflow progress lines
	// (X-Chorus-Progress, Ollama's think); ProgressDefault defers to the
	// configuration.
	Progress Progress
	// CacheBypass keeps this request away from the answer cache (the
	// client sent Cache-Control: no-store or X-Chorus-Cache: no).
	CacheBypass bool
	// OnCache, when set, is told once whether the answer cache had the
	// answer, before anything is emitted (the HTTP adapter sets a header).
	OnCache func(hit bool)
}

// Usage counts tokens.
type Usage struct {
	InputTokens  int
	OutputTokens int
}

// Total returns input plus output tokens.
func (u Usage) Total() int { return u.InputTokens + u.OutputTokens }

// Add returns the sum of two usages.
func (u Usage) Add(o Usage) Usage {
	return Usage{InputTokens: u.InputTokens + o.InputTokens, OutputTokens: u.OutputTokens + o.OutputTokens}
}

// Finish reasons reported to clients.
const (
	FinishStop      = "stop"
	FinishLength    = "length"
	FinishToolCalls = "tool_calls"
)
