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

	"github.com/chorus-ai/chorus/api"
)

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// contract loads api/openapi.yaml once, validates the document and builds a
// gorillamux router over it (servers dropped: routing is on paths only).
func contract(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(api.Spec)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(loader.Context); specErr != nil {
			return
		}
		specDoc.Servers = nil
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	require.NoError(t, specErr, "api/openapi.yaml must load and validate")
	return specDoc, specRouter
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
