package app

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Span and attribute names (OpenTelemetry GenAI semantic conventions plus
// chorus.* for the workflow's own structure).
const (
	spanStagePrefix = "chorus.stage."
	attrOperation   = "gen_ai.operation.name"
	attrModel       = "gen_ai.request.model"
	attrTemperature = "gen_ai.request.temperature"
	attrProvider    = "gen_ai.provider.name"
	attrInputTok    = "gen_ai.usage.input_tokens"
	attrOutputTok   = "gen_ai.usage.output_tokens"
	attrWorkflowID  = "chorus.workflow.id"
	attrPlan        = "chorus.plan.label"
	attrDepth       = "chorus.plan.depth"
	attrPlanPath    = "chorus.plan.path"
	attrStatus      = "chorus.status"
	attrTempSource  = "chorus.temperature.source"
	opChat          = "chat"
	opWorkflow      = "invoke_workflow"
	attrToolNames   = "chorus.tool_calls.names"
	attrToolArgSize = "chorus.tool_calls.argument_bytes"
	attrOutputKind  = "chorus.output.kind"
	attrOutputFrom  = "chorus.output.source"
	attrOutputValid = "chorus.output.valid"
	attrOutputNote  = "chorus.output.note"
)

// startWorkflowSpan opens the span of one plan, "invoke_workflow <path>":
// the workflow's name for the root, chorus.workers[1] for the sub-workflow
// that is its second worker, so every nested plan has its own name.
// Attributes are only built for recording spans, which keeps the engine's
// overhead low when tracing is off.
func (r *run) startWorkflowSpan(ctx context.Context, plan string, at level) (context.Context, trace.Span) {
	ctx, span := r.s.tracer.Start(ctx, opWorkflow+" "+at.path)
	if span.IsRecording() {
		span.SetAttributes(
			attribute.String(attrOperation, opWorkflow),
			attribute.String(attrWorkflowID, r.id),
			attribute.String(attrPlan, plan),
			attribute.String(attrPlanPath, at.path),
			attribute.Int(attrDepth, at.depth),
		)
	}
	return ctx, span
}

// startStage opens a chorus.stage.<stage> span.
func (r *run) startStage(ctx context.Context, stage string) (context.Context, trace.Span) {
	return r.s.tracer.Start(ctx, spanStagePrefix+stage)
}

// startChat opens the client span of one upstream call.
func (s *Service) startChat(ctx context.Context, model string, temp domain.OptFloat, wfID string) (context.Context, trace.Span) {
	ctx, span := s.tracer.Start(ctx, opChat+" "+model, trace.WithSpanKind(trace.SpanKindClient))
	if !span.IsRecording() {
		return ctx, span
	}
	span.SetAttributes(
		attribute.String(attrOperation, opChat),
		attribute.String(attrModel, model),
		attribute.String(attrProvider, s.wf.Models[model].Provider),
		attribute.String(attrWorkflowID, wfID),
	)
	if temp.Set {
		span.SetAttributes(attribute.Float64(attrTemperature, temp.Value))
	}
	return ctx, span
}

// endChat records a call's usage, tool calls (names and argument sizes,
// never the arguments) and outcome and ends its span.
func endChat(span trace.Span, comp domain.Completion, err error) {
	if !span.IsRecording() {
		span.End()
		return
	}
	span.SetAttributes(attribute.Int(attrInputTok, comp.Usage.InputTokens), attribute.Int(attrOutputTok, comp.Usage.OutputTokens))
	if n := len(comp.ToolCalls); n > 0 {
		names, sizes := make([]string, n), make([]int, n)
		for i, c := range comp.ToolCalls {
			names[i], sizes[i] = c.Name, len(c.Arguments)
		}
		span.SetAttributes(attribute.StringSlice(attrToolNames, names), attribute.IntSlice(attrToolArgSize, sizes))
	}
	endSpan(span, err)
}

// recordOutput notes on a plan's span how its answer was settled.
func recordOutput(span trace.Span, o *domain.OutputTrace) {
	if o == nil || !span.IsRecording() {
		return
	}
	span.SetAttributes(attribute.String(attrOutputKind, o.Kind), attribute.String(attrOutputFrom, o.Source))
	if o.Valid.Set {
		span.SetAttributes(attribute.Bool(attrOutputValid, o.Valid.Value))
	}
	if o.Note != "" {
		span.SetAttributes(attribute.String(attrOutputNote, o.Note))
	}
}

// endSpan marks a failure (RecordError + error status) and ends the span.
func endSpan(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// endStage records a stage's status and ends its span; only an error
// status marks the span as failed (fallbacks are handled outcomes).
func endStage(span trace.Span, st domain.CallStatus, errText string) {
	if !span.IsRecording() {
		span.End()
		return
	}
	span.SetAttributes(attribute.String(attrStatus, string(st)))
	if st == domain.StatusError || st == domain.StatusTimeout || st == domain.StatusCanceled {
		span.SetStatus(codes.Error, errText)
	}
	span.End()
}
