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

// domainOverride finds the override for the host (no port) of apiBase by
// exact match, as the original did; IPv6 hosts match with or without brackets.
func domainOverride(domains map[string]rawTimeouts, apiBase string) (rawTimeouts, bool) {
	u, err := url.Parse(apiBase)
	if err != nil || u.Hostname() == "" {
		return rawTimeouts{}, false
	}
	host := strings.ToLower(u.Hostname())
	if o, ok := domains[host]; ok {
		return o, true
	}
	o, ok := domains["["+host+"]"]
	return o, ok
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
