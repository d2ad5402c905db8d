package llm

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/chorus-ai/chorus/internal/adapters/llm/echo"
	"github.com/chorus-ai/chorus/internal/adapters/llm/internal/upstream"
	"github.com/chorus-ai/chorus/internal/adapters/llm/ollama"
	"github.com/chorus-ai/chorus/internal/adapters/llm/openai"
	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

var _ ports.ModelResolver = (*Registry)(nil)

// LogBodiesFull is the Options.LogBodies value that logs whole bodies
// (CHORUS_LOG_BODIES=full); the API key is never logged.
const LogBodiesFull = upstream.LogBodiesFull

// StreamLimits bound one streamed upstream answer: event, answer and
// stream size and total stream time.
type StreamLimits = upstream.StreamLimits

// UpstreamOptions configure one HTTP model client (openai.New, ollama.New).
type UpstreamOptions = upstream.Options

// Options configure the registry's clients.
type Options struct {
	// Logger receives debug logs of upstream requests and responses.
	Logger zerolog.Logger
	// LogBodies is "" for truncated, redacted debug bodies or "full".
	LogBodies string
	// MaxRetries bounds retries of safe failures: 0 means 2, negative disables.
	MaxRetries int
	// Limits bound every streamed upstream answer (zero fields: defaults).
	Limits StreamLimits
	// Wrap, when set, decorates every model (metrics, tracing).
	Wrap func(name string, m ports.ChatModel) ports.ChatModel
	// Health is the passive health policy of models with several
	// deployments (zero: domain.DefaultHealthPolicy).
	Health domain.HealthPolicy
	// ObserveAttempt, when set, is told about every attempt on a
	// deployment of a model with several deployments.
	ObserveAttempt func(model string, a domain.DeploymentAttempt)
	// Now is the clock of deployment cooldowns (default time.Now).
	Now func() time.Time
	// HealthStore, when set, shares deployment cooldowns beyond one
	// registry: across reloads (in memory) or replicas (Redis).
	HealthStore ports.HealthStore
}

// Registry resolves configured model names to clients.
type Registry struct {
	models     map[string]ports.ChatModel
	transports map[string]*http.Transport
}

// NewRegistry builds a client for every model, sharing one HTTP transport
// per upstream host (scheme://host:port).
func NewRegistry(models []domain.ModelSpec, opts Options) (*Registry, error) {
	r := &Registry{
		models:     make(map[string]ports.ChatModel, len(models)),
		transports: make(map[string]*http.Transport),
	}
	clients := make(map[string]*http.Client)
	for _, spec := range models {
		if spec.Name == "" {
			return nil, fmt.Errorf("model with empty name")
		}
		if _, dup := r.models[spec.Name]; dup {
			return nil, fmt.Errorf("model %q: configured twice", spec.Name)
		}
		m, err := r.build(spec, opts, clients)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w", spec.Name, err)
		}
		if opts.Wrap != nil {
			m = opts.Wrap(spec.Name, m)
		}
		r.models[spec.Name] = m
	}
	return r, nil
}

// build creates one model's client: one endpoint's client, or a balancer
// over the clients of its deployments. Those do not retry on their own, so
// a failure moves to the next deployment at once.
func (r *Registry) build(spec domain.ModelSpec, opts Options, clients map[string]*http.Client) (ports.ChatModel, error) {
	if len(spec.Deployments) <= 1 {
		return r.endpoint(spec, opts, clients)
	}
	one := opts
	one.MaxRetries = -1
	members := make([]member, 0, len(spec.Deployments))
	for i, d := range spec.Deployments {
		ds := spec
		ds.Provider, ds.APIBase, ds.APIKey, ds.Deployments = d.Provider, d.APIBase, d.APIKey, nil
		c, err := r.endpoint(ds, one, clients)
		if err != nil {
			return nil, fmt.Errorf("deployment #%d: %w", i+1, err)
		}
		host, _ := hostKey(d.APIBase) // echo deployments have none
		members = append(members, member{client: c, host: host, key: deploymentKey(spec.Name, d),
			weight: max(d.Weight, 1), timeout: d.Timeout})
	}
	return newBalancer(spec.Name, members, opts), nil
}

// endpoint creates the client of one endpoint.
func (r *Registry) endpoint(spec domain.ModelSpec, opts Options, clients map[string]*http.Client) (ports.ChatModel, error) {
	if spec.Provider == domain.ProviderEcho {
		return echo.New(spec), nil
	}
	if spec.Provider != domain.ProviderOpenAI && spec.Provider != domain.ProviderOllama {
		return nil, fmt.Errorf("unknown provider %q (want %s, %s or %s)", spec.Provider,
			domain.ProviderOpenAI, domain.ProviderOllama, domain.ProviderEcho)
	}
	key, err := hostKey(spec.APIBase)
	if err != nil {
		return nil, err
	}
	client, ok := clients[key]
	if !ok {
		t := upstream.NewTransport()
		r.transports[key] = t
		client = &http.Client{Transport: t} // no Timeout: deadlines come from ctx
		clients[key] = client
	}
	uo := upstream.Options{HTTPClient: client, Logger: opts.Logger, LogBodies: opts.LogBodies, MaxRetries: opts.MaxRetries,
		Limits: opts.Limits}
	if spec.Provider == domain.ProviderOllama {
		return ollama.New(spec, uo), nil
	}
	return openai.New(spec, uo), nil
}

// hostKey returns scheme://host:port for an api_base.
func hostKey(apiBase string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(apiBase))
	if err != nil {
		return "", fmt.Errorf("api_base: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("api_base %q: want an http:// or https:// URL", apiBase)
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return u.Scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port, nil
}

// Resolve implements ports.ModelResolver.
func (r *Registry) Resolve(name string) (ports.ChatModel, error) {
	m, ok := r.models[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", domain.ErrUnknownModel, name)
	}
	return m, nil
}

// Hosts returns how many upstream hosts have a shared transport.
func (r *Registry) Hosts() int { return len(r.transports) }

// CloseIdleConnections closes idle upstream connections (on shutdown).
func (r *Registry) CloseIdleConnections() {
	for _, t := range r.transports {
		t.CloseIdleConnections()
	}
}
