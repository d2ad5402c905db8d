package config

import "time"

// Names of the legacy [workflow-integration] keys (see legacy.go).
const (
	legacyAnalyzerKey    = "analyzer_model"
	legacyWorkersKey     = "worker_models"
	legacySynthesizerKey = "synthesizer_model"
)

// Defaults of the keys that have one (SPEC.md §4).
const (
	defaultHost               = "127.0.0.1"
	defaultPort               = 11435
	defaultMaxBodyBytes       = 10 << 20
	defaultShutdownSecs       = 30
	defaultKeepAliveSecs      = 5
	defaultAnalyzerSecs       = 30
	defaultWorkerSecs         = 60
	defaultSynthesizerSecs    = 60
	defaultNestedWorkerDepth  = 1
	defaultWorkflowModeString = "synthesize"
	// defaultProgress shows the stages in the thinking pane clients already
	// render: a workflow takes several model latencies and an empty bubble
	// looks hung; clients that ignore reasoning fields lose nothing.
	defaultProgress = "reasoning"
)

// rawConfig mirrors the TOML file; koanf decodes into it on top of the
// defaults. It is unexported and converted to domain types exactly once.
type rawConfig struct {
	Server      rawServer      `koanf:"server"`
	Models      []rawModel     `koanf:"model"`
	Integration rawIntegration `koanf:"workflow-integration"`
	Workflow    rawWorkflow    `koanf:"workflow"`
	Health      rawHealth      `koanf:"health"`
	Cache       rawCache       `koanf:"cache"`
	State       rawState       `koanf:"state"`
	Upstream    rawUpstream    `koanf:"upstream"`
}

type rawServer struct {
	Host                string      `koanf:"host"`
	Port                int         `koanf:"port"`
	APIKeys             []rawAPIKey `koanf:"api_keys"`
	MaxBodyBytes        int64       `koanf:"max_body_bytes"`
	ShutdownTimeoutSecs int         `koanf:"shutdown_timeout_secs"`
	KeepAliveSecs       int         `koanf:"keepalive_secs"`
	Pprof               bool        `koanf:"pprof"`
	ReadTimeoutSecs     int         `koanf:"read_timeout_secs"`
	IdleTimeoutSecs     int         `koanf:"idle_timeout_secs"`
	MaxConnections      int         `koanf:"max_connections"`
	UI                  bool        `koanf:"ui"`
	CORSOrigins         []string    `koanf:"cors_origins"`
	// AdminAddr is nil when the file does not set it (then the default
	// applies), "" when it turns the admin listener off.
	AdminAddr *string `koanf:"admin_addr"`
}

type rawModel struct {
	Name            string          `koanf:"name"`
	Provider        string          `koanf:"provider"`
	APIBase         string          `koanf:"api_base"`
	APIKey          maskedText      `koanf:"api_key"`
	Temperature     *float64        `koanf:"temperature"`
	AutoTemperature *bool           `koanf:"auto_temperature"`
	Vision          *bool           `koanf:"vision"`
	Fallbacks       []string        `koanf:"fallbacks"`
	Deployments     []rawDeployment `koanf:"deployment"`
	PriceInput      *float64        `koanf:"price_input_per_mtok"`
	PriceOutput     *float64        `koanf:"price_output_per_mtok"`
}

type rawIntegration struct {
	JSON              string   `koanf:"json"`
	NestedWorkerDepth int      `koanf:"nested_worker_depth"`
	AnalyzerModel     *string  `koanf:"analyzer_model"`
	WorkerModels      []string `koanf:"worker_models"`
	SynthesizerModel  *string  `koanf:"synthesizer_model"`
	// legacyFailed is set when the legacy keys could not be turned into a
	// plan (already reported); the plan checks are skipped then.
	legacyFailed bool
}

// legacy reports whether the section used the legacy keys.
func (in rawIntegration) legacy() bool {
	return in.AnalyzerModel != nil || in.WorkerModels != nil || in.SynthesizerModel != nil
}

type rawWorkflow struct {
	Name           string                 `koanf:"name"`
	Mode           string                 `koanf:"mode"`
	MaxConcurrency int                    `koanf:"max_concurrency"`
	Progress       string                 `koanf:"progress"`
	ProgressNames  bool                   `koanf:"progress_names"`
	Timeouts       rawTimeouts            `koanf:"timeouts"`
	Domains        map[string]rawTimeouts `koanf:"domains"`
	Prompts        rawPrompts             `koanf:"prompts"`
	RouteEasyTo    string                 `koanf:"route_easy_to"`
	RouteThreshold string                 `koanf:"route_easy_threshold"`
}

// rawTimeouts is used both for [workflow.timeouts] (pre-filled with the
// defaults) and for each [workflow.domains."host"] partial override.
type rawTimeouts struct {
	Analyzer    *int `koanf:"analyzer_timeout_secs"`
	Worker      *int `koanf:"worker_timeout_secs"`
	Selector    *int `koanf:"selector_timeout_secs"`
	Synthesizer *int `koanf:"synthesizer_timeout_secs"`
}

type rawPrompts struct {
	Analyzer    string `koanf:"analyzer"`
	Selector    string `koanf:"selector"`
	Synthesizer string `koanf:"synthesizer"`
}

// maskedText holds a credential as written in the file (possibly a
// ${NAME} reference). Every printed or encoded form is masked so a raw
// struct can never leak a key into a log.
type maskedText string

// String implements fmt.Stringer with a mask.
func (m maskedText) String() string {
	if m == "" {
		return ""
	}
	return "********"
}

// GoString masks %#v output.
func (m maskedText) GoString() string { return `"` + m.String() + `"` }

// MarshalText masks JSON and text encodings.
func (m maskedText) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

func intPtr(v int) *int { return &v }

// defaultRaw returns a rawConfig holding every default, for koanf to decode
// the file on top of.
func defaultRaw() rawConfig {
	return rawConfig{
		Server: rawServer{
			Host:                defaultHost,
			Port:                defaultPort,
			MaxBodyBytes:        defaultMaxBodyBytes,
			ShutdownTimeoutSecs: defaultShutdownSecs,
			KeepAliveSecs:       defaultKeepAliveSecs,
			ReadTimeoutSecs:     int(DefaultReadTimeout / time.Second),
			IdleTimeoutSecs:     int(DefaultIdleTimeout / time.Second),
			MaxConnections:      DefaultMaxConnections,
			UI:                  true,
		},
		Integration: rawIntegration{NestedWorkerDepth: defaultNestedWorkerDepth},
		Health:      defaultRawHealth(),
		Cache:       defaultRawCache(),
		State:       rawState{LimitsFailOpen: true},
		Upstream:    defaultRawUpstream(),
		Workflow: rawWorkflow{
			Name:     "chorus",
			Mode:     defaultWorkflowModeString,
			Progress: defaultProgress,
			Timeouts: rawTimeouts{
				Analyzer:    intPtr(defaultAnalyzerSecs),
				Worker:      intPtr(defaultWorkerSecs),
				Synthesizer: intPtr(defaultSynthesizerSecs),
			},
		},
	}
}
