package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// maxNestedWorkerDepth keeps nested_worker_depth in a range where the
// expanded tree stays small (see maxExpandedNodes).
const maxNestedWorkerDepth = 12

// toSettings validates the decoded file and converts it to domain types in
// one pass, recording every problem in ps. It returns nil when any problem
// was found.
func toSettings(raw rawConfig, env envLookup, ps *problems) *Settings {
	if keys, ok := apiKeysFromEnv(env, ps); ok {
		raw.Server.APIKeys = plainKeys(keys)
	}
	listenFromEnv(&raw.Server, env, ps)
	adminFromEnv := adminAddrFromEnv(&raw.Server, env)
	server := toServer(raw.Server, env, ps)
	server.AdminAddr = toAdminAddr(raw.Server, adminFromEnv, ps)
	models := toModels(raw, env, ps)
	checkTimeouts(raw.Workflow, ps)
	warnUnusedDomains(raw, ps)
	checkFallbacks(raw.Models, models, ps) // before toWorkflow copies the specs
	wf := toWorkflow(raw, models, ps)
	team := toTeam(raw, env, ps)
	up := toUpstream(raw.Upstream, ps)
	if len(ps.list) > 0 {
		return nil
	}
	return &Settings{
		Path:              ps.file,
		Server:            server,
		Models:            models,
		Workflow:          wf,
		NestedWorkerDepth: raw.Integration.NestedWorkerDepth,
		Health:            team.health,
		Cache:             team.cache,
		State:             team.state,
		Upstream:          up,
	}
}

func toServer(s rawServer, env envLookup, ps *problems) Server {
	checkHost(s.Host, ps)
	if s.Port < 1 || s.Port > 65535 {
		ps.addAt("server.port", "server.port must be between 1 and 65535, got %d", s.Port)
	}
	if s.MaxBodyBytes <= 0 {
		ps.addAt("server.max_body_bytes", "server.max_body_bytes must be positive, got %d", s.MaxBodyBytes)
	}
	if s.ShutdownTimeoutSecs <= 0 || s.ShutdownTimeoutSecs > maxTimeoutSecs {
		ps.addAt("server.shutdown_timeout_secs", "server.shutdown_timeout_secs must be a positive number of seconds (1..%d), got %d", maxTimeoutSecs, s.ShutdownTimeoutSecs)
	}
	if s.KeepAliveSecs < 1 || s.KeepAliveSecs > 9 {
		ps.addAt("server.keepalive_secs", "server.keepalive_secs must be between 1 and 9 (clients cut idle streams), got %d", s.KeepAliveSecs)
	}
	keys, limits := toAPIKeys(s.APIKeys, env, ps)
	return Server{
		Host:              s.Host,
		Port:              s.Port,
		APIKeys:           keys,
		KeyLimits:         limits,
		MaxBodyBytes:      s.MaxBodyBytes,
		ShutdownTimeout:   time.Duration(s.ShutdownTimeoutSecs) * time.Second,
		KeepAliveInterval: time.Duration(s.KeepAliveSecs) * time.Second,
		Pprof:             s.Pprof,
		Conn:              toConnLimits(s, ps),
		UI:                s.UI,
		CORSOrigins:       toCORSOrigins(s.CORSOrigins, ps),
	}
}

func toModels(raw rawConfig, env envLookup, ps *problems) []domain.ModelSpec {
	if len(raw.Models) == 0 {
		ps.add("no [[model]] is defined; add at least one [[model]] with name, api_base and api_key")
	}
	seen := map[string]bool{}
	specs := make([]domain.ModelSpec, 0, len(raw.Models))
	for i, m := range raw.Models {
		key := indexKey("model", i)
		name := strings.TrimSpace(m.Name)
		label := fmt.Sprintf("%s (%q)", key, name)
		switch {
		case name == "":
			ps.addAt(key, "%s has no name", key)
		case seen[name]:
			ps.addAt(joinKey(key, "name"), "duplicate model name %q: each [[model]] name must be unique", name)
		case name == raw.Workflow.Name:
			ps.addAt(joinKey(key, "name"), "model name %q is also the workflow's name ([workflow] name); rename one of them", name)
		}
		seen[name] = true
		provider := strings.ToLower(strings.TrimSpace(m.Provider))
		if provider == "" {
			provider = domain.ProviderOpenAI
		}
		if !slices.Contains([]string{domain.ProviderOpenAI, domain.ProviderOllama, domain.ProviderEcho}, provider) {
			ps.addAt(joinKey(key, "provider"), "%s has unknown provider %q; use openai, ollama or echo", label, m.Provider)
		}
		spec := domain.ModelSpec{Name: name, Provider: provider}
		toEndpoints(&spec, m, raw.Workflow, env, label, key, ps)
		if m.Temperature != nil {
			if t := *m.Temperature; t < 0 || t > 2 {
				ps.addAt(joinKey(key, "temperature"), "%s has temperature %g outside [0, 2]", label, t)
			}
			spec.Temperature = domain.SomeFloat(*m.Temperature)
		}
		if m.AutoTemperature != nil {
			spec.AutoTemperature = domain.SomeBool(*m.AutoTemperature)
		}
		spec.PriceInputPerMTok, spec.PriceOutputPerMTok = toPrices(m, label, key, ps)
		if m.Vision != nil {
			spec.Vision = domain.SomeBool(*m.Vision)
		}
		specs = append(specs, spec)
	}
	return specs
}

// checkAPIBase requires an absolute http(s) URL with a host; the echo
// provider runs in-process and needs none.
func checkAPIBase(base, provider, label, key string, ps *problems) {
	base = strings.TrimSpace(base)
	if base == "" {
		if provider != domain.ProviderEcho {
			ps.addAt(key, "%s has no api_base; set an http(s) URL such as https://api.openai.com/v1", label)
		}
		return
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ps.addAt(key, "%s has an invalid api_base %q; it must be an http:// or https:// URL with a host", label, base)
	}
}

func toWorkflow(raw rawConfig, models []domain.ModelSpec, ps *problems) domain.Workflow {
	wf := raw.Workflow
	mode := domain.Mode(strings.ToLower(strings.TrimSpace(wf.Mode)))
	if mode != domain.ModeSynthesize && mode != domain.ModeSelect {
		ps.addAt("workflow.mode", "workflow.mode %q is unknown; use \"synthesize\" or \"select\"", wf.Mode)
	}
	if strings.TrimSpace(wf.Name) == "" {
		ps.addAt("workflow.name", "workflow.name must not be empty")
	}
	if wf.MaxConcurrency < 0 {
		ps.addAt("workflow.max_concurrency", "workflow.max_concurrency must be 0 (unbounded) or positive, got %d", wf.MaxConcurrency)
	}
	progress, ok := domain.ParseProgress(strings.TrimSpace(wf.Progress))
	if !ok {
		ps.addAt("workflow.progress", "workflow.progress %q is unknown; use \"reasoning\" or \"off\"", wf.Progress)
	}
	byName := make(map[string]domain.ModelSpec, len(models))
	order := make([]string, 0, len(models))
	for _, m := range models {
		if _, dup := byName[m.Name]; !dup {
			order = append(order, m.Name)
		}
		byName[m.Name] = m
	}
	return domain.Workflow{
		Name:           strings.TrimSpace(wf.Name),
		Root:           toPlan(raw.Integration, byName, ps),
		Mode:           mode,
		MaxConcurrency: wf.MaxConcurrency,
		Progress:       progress,
		ProgressNames:  wf.ProgressNames,
		Prompts:        domain.Prompts{Analyzer: wf.Prompts.Analyzer, Selector: wf.Prompts.Selector, Synthesizer: wf.Prompts.Synthesizer},
		Models:         byName,
		ModelOrder:     order,
		Routing:        toRouting(wf, byName, ps),
	}
}

// toPlan parses the workflow JSON, applies nested_worker_depth and checks
// that every referenced model is defined. The reference check runs on the
// plan as written (before the depth expansion, which only repeats names), so
// it can name the JSON path of each reference; it also runs when the plan
// has structural problems.
func toPlan(in rawIntegration, models map[string]domain.ModelSpec, ps *problems) *domain.Plan {
	depth := in.NestedWorkerDepth
	depthOK := depth >= 1 && depth <= maxNestedWorkerDepth
	if !depthOK {
		ps.addAt("workflow-integration.nested_worker_depth",
			"`nested_worker_depth` must be between 1 and %d; got %d", maxNestedWorkerDepth, depth)
	}
	if in.legacyFailed {
		return nil
	}
	plan := parseWorkflowJSON(in.JSON, models, in.legacy(), ps)
	if plan == nil || !depthOK {
		return plan
	}
	if n := expandedNodes(plan, depth, maxExpandedNodes); n > maxExpandedNodes {
		ps.addAt("workflow-integration.nested_worker_depth",
			"`nested_worker_depth` = %d would expand the workflow to more than %d nodes; lower it", depth, maxExpandedNodes)
		return nil
	}
	expandDepth(plan, depth)
	return plan
}
