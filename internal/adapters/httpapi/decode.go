package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// readBody reads the (size-limited) request body.
func readBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		if isReadTimeout(err) {
			return nil, fmt.Errorf("%w: %w", errRequestTimeout, err)
		}
		return nil, &badRequestError{Msg: "could not read request body", Err: err}
	}
	return body, nil
}

// unmarshalBody decodes JSON into v, turning syntax and type errors into 400s
// whose message names the offending field.
func unmarshalBody(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return &badRequestError{Msg: "invalid JSON body: request body is empty"}
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
		bad       *badRequestError
	)
	switch {
	case errors.As(err, &bad):
		return bad
	case errors.As(err, &typeErr):
		return &badRequestError{Msg: fmt.Sprintf("invalid JSON body: field %q must be %s, got %s", jsonPath(typeErr.Field), jsonKind(typeErr.Type), typeErr.Value), Err: err}
	case errors.As(err, &syntaxErr):
		return &badRequestError{Msg: fmt.Sprintf("invalid JSON body: syntax error at offset %d", syntaxErr.Offset), Err: err}
	default:
		return &badRequestError{Msg: "invalid JSON body: " + err.Error(), Err: err}
	}
}

// jsonPath drops the names of embedded Go structs (openAIParams, …) from a
// decoder field path; the wire formats' own field names are all lower case.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	kept := parts[:0]
	for _, p := range parts {
		if strings.ToLower(p) == p {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

// jsonKind names a Go type by the JSON kind a client must send, so error
// messages speak the wire format rather than Chorus' internal type names.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a different type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	default:
		return "a different type"
	}
}

// badRequest builds a 400 with a formatted message.
func badRequest(format string, args ...any) error {
	return &badRequestError{Msg: fmt.Sprintf(format, args...)}
}

// firstByte returns the first non-space byte of a JSON value (0 if none).
func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// isNull reports whether raw is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	f := firstByte(raw)
	return f == 0 || f == 'n'
}

// toolToDomain converts a function tool's definition.
func toolToDomain(f openaiwire.ToolFunction) domain.Tool {
	return domain.Tool{Name: f.Name, Description: f.Description, Parameters: rawOrNil(f.Parameters)}
}

// toolsToDomain converts function tools; other tool types are rejected.
func toolsToDomain(in []openaiwire.Tool) ([]domain.Tool, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]domain.Tool, 0, len(in))
	for i, t := range in {
		if t.Type != "" && t.Type != "function" {
			return nil, badRequest("tools[%d]: unsupported tool type %q", i, t.Type)
		}
		if t.Function.Name == "" {
			return nil, badRequest("tools[%d]: function.name is required", i)
		}
		out = append(out, toolToDomain(t.Function))
	}
	return out, nil
}

// rawOrNil copies a JSON value, dropping null/absent.
func rawOrNil(raw json.RawMessage) domain.RawJSON {
	if isNull(raw) {
		return nil
	}
	return domain.RawJSON(bytes.Clone(raw))
}

// optFloat converts an optional JSON number.
func optFloat(p *float64) domain.OptFloat {
	if p == nil {
		return domain.OptFloat{}
	}
	return domain.SomeFloat(*p)
}

// optInt converts an optional JSON integer.
func optInt(p *int) domain.OptInt {
	if p == nil {
		return domain.OptInt{}
	}
	return domain.SomeInt(*p)
}

// optBool converts an optional JSON boolean.
func optBool(p *bool) domain.OptBool {
	if p == nil {
		return domain.OptBool{}
	}
	return domain.SomeBool(*p)
}

// checkSampling rejects out-of-range sampling values before any upstream call.
func checkSampling(p domain.Params) error {
	switch {
	case p.Temperature.Set && (p.Temperature.Value < 0 || p.Temperature.Value > 2):
		return badRequest("temperature must be between 0 and 2")
	case p.TopP.Set && (p.TopP.Value < 0 || p.TopP.Value > 1):
		return badRequest("top_p must be between 0 and 1")
	case p.MaxTokens.Set && p.MaxTokens.Value < 0:
		return badRequest("max_tokens must not be negative")
	}
	return nil
}
