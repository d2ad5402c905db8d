package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/chorus-ai/chorus/internal/domain"
	"github.com/chorus-ai/chorus/internal/ports"
)

// TracerName is the instrumentation scope of the app's spans.
const TracerName = "github.com/chorus-ai/chorus/internal/app"

// DefaultKeepAliveInterval is used when Deps.KeepAliveInterval is zero.
const DefaultKeepAliveInterval = 5 * time.Second

var _ ports.Gateway = (*Service)(nil)

// Deps are the Service's dependencies.
type Deps struct {
	Workflow domain.Workflow
	Models   ports.ModelResolver
	// TracerProvider receives the workflow spans; nil disables tracing.
	TracerProvider trace.TracerProvider
	// KeepAliveInterval spaces stream keep-alives (default 5 s).
	KeepAliveInterval time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger is used when the request context carries no zerolog logger
	// (default: discard).
	Logger zerolog.Logger
}

// Service is the gateway use case; it is safe for concurrent use.
type Service struct {
	wf        domain.Workflow
	name      string
	models    ports.ModelResolver
	tracer    trace.Tracer
	keepAlive time.Duration
	now       func() time.Time
	log       zerolog.Logger
	prompts   *prompts
	list      []domain.ModelInfo
}

// NewService checks the dependencies, parses the prompt templates once and
// returns the Service.
func NewService(deps Deps) (*Service, error) {
	if deps.Models == nil {
		return nil, errors.New("app: Deps.Models is required")
	}
	if deps.Workflow.Root == nil {
		return nil, errors.New("app: Deps.Workflow.Root is required")
	}
	p, err := newPrompts(deps.Workflow.Prompts)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	s := &Service{
		wf: deps.Workflow, name: deps.Workflow.Name, models: deps.Models,
		keepAlive: deps.KeepAliveInterval, now: deps.Now, log: deps.Logger, prompts: p,
	}
	if s.name == "" {
		s.name = domain.DefaultWorkflowName
	}
	if s.wf.Mode == "" {
		s.wf.Mode = domain.ModeSynthesize
	}
	tp := deps.TracerProvider
	if tp == nil {
		tp = noop.NewTracerProvider()
	}
	s.tracer = tp.Tracer(TracerName)
	if s.keepAlive <= 0 {
		s.keepAlive = DefaultKeepAliveInterval
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.list = modelList(s.name, s.wf)
	return s, nil
}

// Complete answers a request without streaming.
func (s *Service) Complete(ctx context.Context, req domain.ChatRequest) (domain.ChatResult, error) {
	return s.answer(ctx, req, nil)
}

// answer routes a request: a configured model's name is a passthrough,
// anything else runs the workflow; em is nil unless streaming.
func (s *Service) answer(ctx context.Context, req domain.ChatRequest, em *emitter) (domain.ChatResult, error) {
	if _, ok := s.wf.Models[req.Model]; ok {
		return s.passthrough(ctx, req, em)
	}
	return s.runWorkflow(ctx, req, em)
}

// Models lists the workflow first, then every configured model in
// configuration order.
func (s *Service) Models() []domain.ModelInfo {
	return append([]domain.ModelInfo(nil), s.list...)
}

func modelList(name string, wf domain.Workflow) []domain.ModelInfo {
	order := wf.ModelOrder
	if len(order) == 0 {
		for n := range wf.Models {
			order = append(order, n)
		}
		sort.Strings(order)
	}
	out := make([]domain.ModelInfo, 0, len(order)+1)
	root := domain.ModelInfo{Name: name, IsWorkflow: true}
	planCapabilities(wf.Root, wf.Models, &root)
	out = append(out, root)
	for _, n := range order {
		if m, ok := wf.Models[n]; ok && n != name {
			out = append(out, domain.ModelInfo{Name: n, Provider: m.Provider, Tools: takesTools(m), Vision: takesImages(m)})
		}
	}
	return out
}

// takesTools: the OpenAI and Ollama adapters forward tools and relay tool
// calls; the offline echo provider never calls a tool.
func takesTools(m domain.ModelSpec) bool { return m.Provider != domain.ProviderEcho }

// takesImages: images are forwarded unless the model is configured with
// vision = false (the echo provider reads none).
func takesImages(m domain.ModelSpec) bool {
	return m.Provider != domain.ProviderEcho && (!m.Vision.Set || m.Vision.Value)
}

// planCapabilities marks info with what at least one worker of p (nested
// plans included) can take.
func planCapabilities(p *domain.Plan, models map[string]domain.ModelSpec, info *domain.ModelInfo) {
	if p == nil {
		return
	}
	for _, node := range p.Workers {
		if m, ok := modelNode(node); ok {
			spec := models[m.Model]
			info.Tools = info.Tools || takesTools(spec)
			info.Vision = info.Vision || takesImages(spec)
		} else if sub, ok := subWorkflow(node); ok {
			planCapabilities(sub.Plan, models, info)
		}
	}
}

// logger returns the request-scoped logger when the context has one.
func (s *Service) logger(ctx context.Context) *zerolog.Logger {
	if l := zerolog.Ctx(ctx); l != nil && l.GetLevel() != zerolog.Disabled {
		return l
	}
	return &s.log
}
