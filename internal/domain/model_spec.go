package domain

import "time"

// Provider names accepted in [[model]].provider.
const (
	ProviderOpenAI = "openai"
	ProviderOllama = "ollama"
	ProviderEcho   = "echo"
)

// StageTimeouts are the deadlines of the workflow stages for one model,
// after [workflow.domains."host"] overrides were applied.
type StageTimeouts struct {
	Analyzer    time.Duration
	Worker      time.Duration
	Selector    time.Duration
	Synthesizer time.Duration
}

// ModelSpec is one configured [[model]].
type ModelSpec struct {
	Name            string
	Provider        string // ProviderOpenAI, ProviderOllama or ProviderEcho
	APIBase         string
	APIKey          Secret
	Temperature     OptFloat
	AutoTemperature OptBool
	// Vision is false for a model that cannot read images: the workflow
	// sends it the conversation without them. Unset means it can.
	Vision   OptBool
	Timeouts StageTimeouts
	// Deployments are the endpoints serving the model (at least one for
	// network providers); APIBase, APIKey and Provider are the first one's.
	Deployments []Deployment
	// Fallbacks are the models tried, in order, when every deployment of
	// this model failed.
	Fallbacks []string
	// Prices in US dollars per million tokens, for `chorus eval` cost
	// reports; unset when not configured.
	PriceInputPerMTok  OptFloat
	PriceOutputPerMTok OptFloat
}
