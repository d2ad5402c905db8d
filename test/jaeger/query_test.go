//go:build e2ejaeger

package jaeger

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// otlpValue is an OTLP/JSON AnyValue (only the kinds Chorus sets).
type otlpValue struct {
	StringValue *string  `json:"stringValue"`
	IntValue    *string  `json:"intValue"` // int64 is a JSON string in OTLP/JSON
	DoubleValue *float64 `json:"doubleValue"`
	BoolValue   *bool    `json:"boolValue"`
}

// span is one OTLP/JSON span as Jaeger's /api/v3 returns it.
type span struct {
	TraceID      string `json:"traceId"`
	SpanID       string `json:"spanId"`
	ParentSpanID string `json:"parentSpanId"`
	Name         string `json:"name"`
	Attributes   []struct {
		Key   string    `json:"key"`
		Value otlpValue `json:"value"`
	} `json:"attributes"`
}

// attr returns an attribute's value as text ("" when absent).
func (s *span) attr(key string) string {
	for _, a := range s.Attributes {
		if a.Key != key {
			continue
		}
		switch v := a.Value; {
		case v.StringValue != nil:
			return *v.StringValue
		case v.IntValue != nil:
			return *v.IntValue
		case v.DoubleValue != nil:
			return fmt.Sprint(*v.DoubleValue)
		case v.BoolValue != nil:
			return fmt.Sprint(*v.BoolValue)
		}
	}
	return ""
}

// v3Response is one message of GET /api/v3/traces (grpc-gateway may stream
// several concatenated JSON objects).
type v3Response struct {
	Result struct {
		ResourceSpans []struct {
			Resource struct {
				Attributes []struct {
					Key   string    `json:"key"`
					Value otlpValue `json:"value"`
				} `json:"attributes"`
			} `json:"resource"`
			ScopeSpans []struct {
				Spans []span `json:"spans"`
			} `json:"scopeSpans"`
		} `json:"resourceSpans"`
	} `json:"result"`
}

// jaegerTrace is the spans of one trace id.
type jaegerTrace struct {
	service string
	spans   []span
}

func (tr jaegerTrace) byName(name string) *span {
	for i := range tr.spans {
		if tr.spans[i].Name == name {
			return &tr.spans[i]
		}
	}
	return nil
}

func (tr jaegerTrace) chatSpans() []span {
	var out []span
	for _, s := range tr.spans {
		if strings.HasPrefix(s.Name, "chat ") {
			out = append(out, s)
		}
	}
	return out
}

// waitForTrace polls Jaeger (bounded) until the trace with traceID is
// complete according to done, and returns the last state seen.
func waitForTrace(t *testing.T, query string, since time.Time, traceID string, done func(jaegerTrace) bool) jaegerTrace {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last jaegerTrace
	var lastErr error
	var others []string
	for time.Now().Before(deadline) {
		traces, err := searchTraces(query, since, time.Now().Add(time.Minute))
		lastErr = err
		others = others[:0]
		for id, tr := range traces {
			if tr.byName("invoke_workflow chorus") != nil {
				others = append(others, id)
			}
		}
		if tr, ok := traces[traceID]; ok {
			last = tr
			if done(tr) {
				return tr
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	names := make([]string, 0, len(last.spans))
	for _, s := range last.spans {
		names = append(names, s.Name)
	}
	t.Fatalf("trace %s incomplete in Jaeger after 30s (last error: %v); spans seen: %v; "+
		"traces with a workflow span: %v (another id here means the client's traceparent was ignored)",
		traceID, lastErr, names, others)
	return last
}

// searchTraces queries /api/v3/traces for service chorus and groups the
// spans by (hex) trace id.
func searchTraces(query string, from, to time.Time) (map[string]jaegerTrace, error) {
	q := url.Values{
		"query.service_name":   {"chorus"},
		"query.start_time_min": {from.UTC().Format(time.RFC3339Nano)},
		"query.start_time_max": {to.UTC().Format(time.RFC3339Nano)},
		"query.num_traces":     {"100"},
	}
	resp, err := http.Get(query + "/api/v3/traces?" + q.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, errors.New("no traces found yet")
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("jaeger query: %s: %s", resp.Status, b)
	}
	out := map[string]jaegerTrace{}
	dec := json.NewDecoder(resp.Body)
	for {
		var msg v3Response
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("jaeger query: decode: %w", err)
		}
		for _, rs := range msg.Result.ResourceSpans {
			service := ""
			for _, a := range rs.Resource.Attributes {
				if a.Key == "service.name" && a.Value.StringValue != nil {
					service = *a.Value.StringValue
				}
			}
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					s.TraceID, s.SpanID, s.ParentSpanID = hexID(s.TraceID), hexID(s.SpanID), hexID(s.ParentSpanID)
					tr := out[s.TraceID]
					tr.service = service
					tr.spans = append(tr.spans, s)
					out[s.TraceID] = tr
				}
			}
		}
	}
}

// hexID normalises an id to lower-case hex: OTLP/JSON uses hex, protobuf
// JSON mappings use base64.
func hexID(id string) string {
	if id == "" {
		return ""
	}
	if _, err := hex.DecodeString(id); err == nil && (len(id) == 32 || len(id) == 16) {
		return strings.ToLower(id)
	}
	if b, err := base64.StdEncoding.DecodeString(id); err == nil {
		return hex.EncodeToString(b)
	}
	return id
}
