package app

import (
	"context"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/chorus-ai/chorus/internal/domain"
)

// attrDegraded lists the stages of a degraded workflow on its span.
const attrDegraded = "chorus.degraded"

// noteDegraded makes a degraded answer visible: a warn line naming the
// stages that fell back and the workflow span's status attribute. (The
// trace already says "degraded"; the HTTP adapter adds a response header
// and the metrics decorator counts it.)
func (r *run) noteDegraded(ctx context.Context, span trace.Span, tr *domain.ExecutionTrace) {
	stages := tr.DegradedStages()
	if len(stages) == 0 {
		return
	}
	l := r.s.logger(ctx)
	l.Warn().Str("workflow_id", r.id).Strs("stages", stages).
		Msg("workflow answer degraded: a stage fell back (see the trace for its error)")
	if span.IsRecording() {
		span.SetAttributes(attribute.String(attrStatus, string(domain.StatusDegraded)),
			attribute.String(attrDegraded, strings.Join(stages, ",")))
	}
}
