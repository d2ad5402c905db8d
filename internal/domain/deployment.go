package domain

import "time"

// Deployment is one endpoint serving a configured model: a [[model.deployment]]
// entry, or the model's own api_base/api_key in the single-endpoint form.
type Deployment struct {
	Provider string // ProviderOpenAI, ProviderOllama or ProviderEcho
	APIBase  string
	APIKey   Secret
	// Weight is the deployment's share of the traffic among healthy
	// deployments (default 1).
	Weight int
	// Timeout bounds one attempt on this deployment inside the stage
	// deadline; 0 means only the stage deadline applies.
	Timeout time.Duration
}

// HealthPolicy is the passive health check of deployments ([health]).
type HealthPolicy struct {
	// FailureThreshold is how many consecutive failures (connection
	// errors, 5xx, 429) put a deployment in cooldown.
	FailureThreshold int
	// Cooldown is how long a deployment is skipped; a longer Retry-After
	// from the upstream wins.
	Cooldown time.Duration
}

// DefaultHealthPolicy is used when [health] is absent.
var DefaultHealthPolicy = HealthPolicy{FailureThreshold: 3, Cooldown: 30 * time.Second}

// DeploymentAttempt records one attempt of a call on one deployment. It
// names the deployment by index and host, never by key.
type DeploymentAttempt struct {
	Deployment int // 0-based index in the model's deployments
	Host       string
	Outcome    string // AttemptOK, or the failure kind
	Latency    time.Duration
}

// AttemptOK is the Outcome of a successful attempt.
const AttemptOK = "ok"
