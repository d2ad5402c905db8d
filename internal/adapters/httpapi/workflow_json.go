package httpapi

import (
	"time"

	"github.com/chorus-ai/chorus/internal/domain"
)

// workflowJSON is the `workflow` object returned with include_workflow.
type workflowJSON struct {
	WorkflowID  string           `json:"workflow_id"`
	Plan        string           `json:"plan"`
	Mode        string           `json:"mode"`
	Status      string           `json:"status"`
	Error       string           `json:"error,omitempty"`
	DurationMS  float64          `json:"duration_ms"`
	StartMS     float64          `json:"start_ms"`
	Analyzer    *analyzerJSON    `json:"analyzer,omitempty"`
	Workers     []workerJSON     `json:"workers"`
	Selector    *selectorJSON    `json:"selector,omitempty"`
	Synthesizer *synthesizerJSON `json:"synthesizer,omitempty"`
	Routed      *routeJSON       `json:"routed,omitempty"`
	Output      *outputJSON      `json:"output,omitempty"`
	Usage       usageJSON        `json:"usage"`
}

// outputJSON says how a plan's answer was settled.
type outputJSON struct {
	Kind   string `json:"kind"`
	Source string `json:"source"`
	Format string `json:"format,omitempty"`
	Valid  *bool  `json:"valid,omitempty"`
	Note   string `json:"note,omitempty"`
}

// toolCallJSON is a candidate's tool call: its function and argument size.
type toolCallJSON struct {
	Name          string `json:"name"`
	ArgumentBytes int    `json:"argument_bytes"`
}

// callJSON are the fields every stage call reports.
type callJSON struct {
	Model             string    `json:"model"`
	Temperature       float64   `json:"temperature"`
	TemperatureSource string    `json:"temperature_source"`
	Status            string    `json:"status"`
	Error             string    `json:"error,omitempty"`
	DurationMS        float64   `json:"duration_ms"`
	StartMS           float64   `json:"start_ms"`
	Attempts          int       `json:"attempts"`
	Usage             usageJSON `json:"usage"`
	// FallbackFrom names the model asked for when a fallback (Model) answered.
	Note         string           `json:"note,omitempty"`
	FallbackFrom string           `json:"fallback_from,omitempty"`
	Deployments  []deploymentJSON `json:"deployments,omitempty"`
}

// deploymentJSON is one attempt on a deployment: index and host, never a key.
type deploymentJSON struct {
	Index     int     `json:"index"`
	Host      string  `json:"host"`
	Outcome   string  `json:"outcome"`
	LatencyMS float64 `json:"latency_ms"`
}

type analyzerJSON struct {
	callJSON
	SuggestedTemperature *float64 `json:"suggested_temperature,omitempty"`
	TaskType             string   `json:"task_type,omitempty"`
	Difficulty           string   `json:"difficulty,omitempty"`
	Reasoning            string   `json:"reasoning,omitempty"`
}

// routeJSON is an adaptive-routing decision that answered with one model.
type routeJSON struct {
	callJSON
	Difficulty string `json:"difficulty"`
	Threshold  string `json:"threshold"`
	Reason     string `json:"reason,omitempty"`
}

type workerJSON struct {
	Name string `json:"name"`
	callJSON
	Response  string         `json:"response,omitempty"`
	ToolCalls []toolCallJSON `json:"tool_calls,omitempty"`
	Nested    *workflowJSON  `json:"nested,omitempty"`
}

type selectorJSON struct {
	callJSON
	SelectedIndex  int    `json:"selected_index"`
	SelectedLabel  string `json:"selected_label,omitempty"`
	SelectedWorker string `json:"selected_worker,omitempty"`
	Reasoning      string `json:"reasoning,omitempty"`
}

type synthesizerJSON struct {
	callJSON
}

// usageJSON is token usage in the trace and on Responses API objects.
type usageJSON struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

// workflowFrom maps the engine's trace; nil when not requested or absent.
func workflowFrom(req domain.ChatRequest, t *domain.ExecutionTrace) *workflowJSON {
	if !req.IncludeWorkflow || t == nil {
		return nil
	}
	return traceJSON(t)
}

func traceJSON(t *domain.ExecutionTrace) *workflowJSON {
	w := &workflowJSON{
		WorkflowID: t.WorkflowID, Plan: t.Plan, Mode: string(t.Mode), Status: string(t.Status),
		Error: t.Error, DurationMS: ms(t.Duration), StartMS: ms(t.Start),
		Workers: make([]workerJSON, 0, len(t.Workers)), Usage: usageOf(t.Usage),
	}
	if a := t.Analyzer; a != nil {
		w.Analyzer = &analyzerJSON{callJSON: callOf(a.CallTrace), TaskType: a.TaskType, Reasoning: a.Reasoning,
			Difficulty: string(a.Difficulty)}
		if a.SuggestedTemperature.Set {
			v := a.SuggestedTemperature.Value
			w.Analyzer.SuggestedTemperature = &v
		}
	}
	for _, wt := range t.Workers {
		wj := workerJSON{Name: wt.Label, callJSON: callOf(wt.Call), Response: wt.Response}
		for _, tc := range wt.ToolCalls {
			wj.ToolCalls = append(wj.ToolCalls, toolCallJSON{Name: tc.Name, ArgumentBytes: tc.ArgumentBytes})
		}
		if wt.Nested != nil {
			wj.Nested = traceJSON(wt.Nested)
		}
		w.Workers = append(w.Workers, wj)
	}
	if s := t.Selector; s != nil {
		w.Selector = &selectorJSON{callJSON: callOf(s.CallTrace), SelectedIndex: s.SelectedIndex,
			SelectedLabel: s.SelectedLabel, SelectedWorker: s.SelectedNode, Reasoning: s.Reasoning}
	}
	if s := t.Synthesizer; s != nil {
		w.Synthesizer = &synthesizerJSON{callJSON: callOf(s.CallTrace)}
	}
	if rt := t.Routed; rt != nil {
		w.Routed = &routeJSON{callJSON: callOf(rt.CallTrace), Difficulty: string(rt.Difficulty),
			Threshold: string(rt.Threshold), Reason: rt.Reason}
	}
	if o := t.Output; o != nil {
		w.Output = &outputJSON{Kind: o.Kind, Source: o.Source, Format: o.Format, Note: o.Note}
		if o.Valid.Set {
			w.Output.Valid = &o.Valid.Value
		}
	}
	return w
}

func callOf(c domain.CallTrace) callJSON {
	return callJSON{
		Model: c.Model, Temperature: c.Temperature, TemperatureSource: string(c.TemperatureSource),
		Status: string(c.Status), Error: c.Error, DurationMS: ms(c.Duration), StartMS: ms(c.Start),
		Attempts: c.Attempts, Usage: usageOf(c.Usage), FallbackFrom: c.FallbackFrom, Deployments: deploymentsJSON(c.Deployments),
		Note: c.Note,
	}
}

func deploymentsJSON(tries []domain.DeploymentAttempt) []deploymentJSON {
	if len(tries) == 0 {
		return nil
	}
	out := make([]deploymentJSON, len(tries))
	for i, a := range tries {
		out[i] = deploymentJSON{Index: a.Deployment, Host: a.Host, Outcome: a.Outcome, LatencyMS: ms(a.Latency)}
	}
	return out
}

func usageOf(u domain.Usage) usageJSON {
	return usageJSON{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, TotalTokens: u.Total()}
}

// ms converts a duration to fractional milliseconds (microsecond precision).
func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
