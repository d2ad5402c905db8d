package config

import (
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// toRouting checks [workflow] route_easy_to (a defined model, or empty for
// off) and route_easy_threshold ("trivial", the default, or "normal").
func toRouting(wf rawWorkflow, models map[string]domain.ModelSpec, ps *problems) domain.Routing {
	r := domain.Routing{EasyTo: strings.TrimSpace(wf.RouteEasyTo), Threshold: domain.DifficultyTrivial}
	if r.EasyTo != "" {
		if _, ok := models[r.EasyTo]; !ok {
			ps.addAt("workflow.route_easy_to", "workflow.route_easy_to names %q, which is not a defined [[model]]", r.EasyTo)
		}
	}
	switch t := strings.ToLower(strings.TrimSpace(wf.RouteThreshold)); t {
	case "", string(domain.DifficultyTrivial):
	case string(domain.DifficultyNormal):
		r.Threshold = domain.DifficultyNormal
	default:
		ps.addAt("workflow.route_easy_threshold", "workflow.route_easy_threshold %q is unknown; use \"trivial\" or \"normal\"", wf.RouteThreshold)
	}
	return r
}

// toPrices reads a model's optional prices (US dollars per million tokens).
func toPrices(m rawModel, label, key string, ps *problems) (in, out domain.OptFloat) {
	for _, p := range []struct {
		name string
		v    *float64
		dst  *domain.OptFloat
	}{{"price_input_per_mtok", m.PriceInput, &in}, {"price_output_per_mtok", m.PriceOutput, &out}} {
		if p.v == nil {
			continue
		}
		if *p.v < 0 {
			ps.addAt(joinKey(key, p.name), "%s has a negative %s (%g)", label, p.name, *p.v)
		}
		*p.dst = domain.SomeFloat(*p.v)
	}
	return in, out
}
