package config

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// maxTimeoutSecs bounds every stage timeout (one day) so the conversion to
// time.Duration can never overflow.
const maxTimeoutSecs = 86400

// checkTimeouts validates the global timeouts and every domain override.
func checkTimeouts(wf rawWorkflow, ps *problems) {
	checkTimeoutSet("workflow.timeouts", wf.Timeouts, ps)
	for _, host := range slices.Sorted(maps.Keys(wf.Domains)) {
		checkTimeoutSet(joinKey("workflow.domains", host), wf.Domains[host], ps)
	}
}

func checkTimeoutSet(path string, t rawTimeouts, ps *problems) {
	for _, f := range []struct {
		name string
		v    *int
	}{
		{"analyzer_timeout_secs", t.Analyzer},
		{"worker_timeout_secs", t.Worker},
		{"selector_timeout_secs", t.Selector},
		{"synthesizer_timeout_secs", t.Synthesizer},
	} {
		if f.v == nil {
			continue
		}
		if *f.v <= 0 || *f.v > maxTimeoutSecs {
			key := joinKey(path, f.name)
			ps.addAt(key, "%s must be a positive number of seconds (1..%d), got %d", key, maxTimeoutSecs, *f.v)
		}
	}
}

// stageTimeouts resolves one model's timeouts: the [workflow.domains] entry
// for the host of its api_base overrides the global values field by field;
// the selector falls back to the synthesizer's timeout.
func stageTimeouts(wf rawWorkflow, apiBase string) domain.StageTimeouts {
	eff := wf.Timeouts
	if o, ok := domainOverride(wf.Domains, apiBase); ok {
		eff = overlay(eff, o)
	}
	sel := eff.Synthesizer
	if eff.Selector != nil {
		sel = eff.Selector
	}
	return domain.StageTimeouts{
		Analyzer:    secs(eff.Analyzer),
		Worker:      secs(eff.Worker),
		Selector:    secs(sel),
		Synthesizer: secs(eff.Synthesizer),
	}
}

// warnUnusedDomains warns about [workflow.domains."host"] entries that match
// the api_base host of no [[model]]: they have no effect, most often because
// of a typo or a port written into the key.
func warnUnusedDomains(raw rawConfig, ps *problems) {
	if len(raw.Workflow.Domains) == 0 {
		return
	}
	used := map[string]bool{}
	for _, m := range raw.Models {
		if key, ok := domainKey(raw.Workflow.Domains, timeoutBase(m)); ok {
			used[key] = true
		}
	}
	hosts := modelHosts(raw.Models)
	for _, host := range slices.Sorted(maps.Keys(raw.Workflow.Domains)) {
		if !used[host] {
			ps.warn("%s matches the api_base host of no [[model]] and has no effect (model hosts: %s); keys are host names without scheme or port",
				joinKey("workflow.domains", host), strings.Join(hosts, ", "))
		}
	}
}

// timeoutBase is the api_base whose host picks a model's timeouts: its first
// deployment's when it has [[model.deployment]] entries (see toEndpoints).
func timeoutBase(m rawModel) string {
	if len(m.Deployments) > 0 {
		return strings.TrimSpace(m.Deployments[0].APIBase)
	}
	return strings.TrimSpace(m.APIBase)
}

// modelHosts lists the distinct api_base hosts of the models, sorted.
func modelHosts(models []rawModel) []string {
	set := map[string]bool{}
	for _, m := range models {
		if u, err := url.Parse(timeoutBase(m)); err == nil && u.Hostname() != "" {
			set[strings.ToLower(u.Hostname())] = true
		}
	}
	if len(set) == 0 {
		return []string{"none"}
	}
	return slices.Sorted(maps.Keys(set))
}

// domainOverride finds the override for the host (no port) of apiBase by
// exact match, as the original did; IPv6 hosts match with or without brackets.
func domainOverride(domains map[string]rawTimeouts, apiBase string) (rawTimeouts, bool) {
	key, ok := domainKey(domains, apiBase)
	return domains[key], ok
}

// domainKey returns the [workflow.domains] key that applies to apiBase.
func domainKey(domains map[string]rawTimeouts, apiBase string) (string, bool) {
	u, err := url.Parse(apiBase)
	if err != nil || u.Hostname() == "" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	for _, key := range []string{host, "[" + host + "]"} {
		if _, ok := domains[key]; ok {
			return key, true
		}
	}
	return "", false
}

func overlay(base, o rawTimeouts) rawTimeouts {
	pick := func(b, v *int) *int {
		if v != nil {
			return v
		}
		return b
	}
	return rawTimeouts{
		Analyzer:    pick(base.Analyzer, o.Analyzer),
		Worker:      pick(base.Worker, o.Worker),
		Selector:    pick(base.Selector, o.Selector),
		Synthesizer: pick(base.Synthesizer, o.Synthesizer),
	}
}

func secs(v *int) time.Duration {
	if v == nil {
		return 0
	}
	return time.Duration(*v) * time.Second
}
