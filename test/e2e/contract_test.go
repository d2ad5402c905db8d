package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/api/apitest"
)

// specRouter is a gorillamux router over api/openapi.yaml (servers dropped:
// routing is on paths only).
var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := apitest.Document()
	if err != nil {
		return nil, err
	}
	pathsOnly := *doc
	pathsOnly.Servers = nil
	return gorillamux.NewRouter(&pathsOnly)
})

// contract returns the validated api/openapi.yaml and a router over it.
func contract(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := apitest.Document()
	require.NoError(t, err, "api/openapi.yaml must load and validate")
	router, err := specRouter()
	require.NoError(t, err, "api/openapi.yaml must route")
	return doc, router
}

// validateResponse checks one non-stream response (any status) against the
// operation the spec documents for method+path.
func validateResponse(t *testing.T, method, path string, reqBody []byte, status int, header http.Header, body []byte) {
	t.Helper()
	_, router := contract(t)
	req := httptest.NewRequest(method, path, bytes.NewReader(reqBody))
	if len(reqBody) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := router.FindRoute(req)
	require.NoError(t, err, "%s %s is not in api/openapi.yaml", method, path)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	// kin-openapi decodes an application/yaml body into a YAML tree and then
	// checks it against `type: string`; the /openapi.yaml body is compared
	// byte for byte with api.Spec instead, so only status and media type
	// are validated here.
	if strings.HasPrefix(header.Get("Content-Type"), "application/yaml") {
		in.Options.ExcludeResponseBody = true
	}
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), in),
		"contract: %s %s → %d %s", method, path, status, truncate(body, 600))
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
