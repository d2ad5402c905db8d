package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/api"
	"github.com/chorus-ai/chorus/api/apitest"
	official "github.com/chorus-ai/chorus/test/contract"
)

// specRouter routes requests to the operations of api/openapi.yaml.
var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := apitest.Document()
	if err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc, apitest.OfficialQuirks...)
})

// loadSpec returns the validated api/openapi.yaml and a router over it.
func loadSpec(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := apitest.Document()
	require.NoError(t, err)
	router, err := specRouter()
	require.NoError(t, err)
	return doc, router
}

// checkContract validates a JSON response against the OpenAPI document.
func checkContract(t *testing.T, method, path, body string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if contentType(rec) != "application/json" {
		return
	}
	_, router := loadSpec(t)
	req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	route, params, err := router.FindRoute(req)
	if err != nil {
		return // unknown routes (404 tests) have no operation to check against
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), in),
		"%s %s → %d %s", method, path, rec.Code, rec.Body.String())
}

// checkOfficial validates an answer, and every frame of a stream, against
// the official OpenAI or Ollama document (test/contract).
func checkOfficial(t *testing.T, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	require.NoError(t, official.CheckAnswer(official.Answer{Method: method, Path: path, Status: rec.Code,
		Header: rec.Header(), Body: rec.Body.Bytes(), Complete: true}))
}

func TestOpenAPI_DocumentIsValidAndCoversEveryRoute(t *testing.T) {
	doc, _ := loadSpec(t)
	s, _ := newTestServer(t)
	ids := map[string]bool{}
	for _, r := range s.echo.Routes() {
		if r.Path == "/*" || r.Method == http.MethodOptions {
			continue
		}
		item := doc.Paths.Find(documentedPath(r.Path))
		require.NotNil(t, item, "route %s %s is not documented", r.Method, r.Path)
		op := item.GetOperation(r.Method)
		require.NotNil(t, op, "operation %s %s is not documented", r.Method, r.Path)
		require.NotEmpty(t, op.OperationID, "%s %s needs an operationId", r.Method, r.Path)
		require.False(t, ids[op.OperationID], "duplicate operationId %s", op.OperationID)
		ids[op.OperationID] = true
	}
}

// documentedPath is the spec's path template of an Echo route: a wildcard
// route keeps model ids with slashes whole, the spec names the parameter.
func documentedPath(echoPath string) string {
	if echoPath == "/v1/models/*" {
		return "/v1/models/{model}"
	}
	return echoPath
}

func TestOpenAPI_ServedAsYAML(t *testing.T) {
	s, _ := newTestServer(t)
	rec := serve(t, s, http.MethodGet, "/openapi.yaml", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "application/yaml", contentType(rec))
	require.Equal(t, api.Spec, rec.Body.Bytes())
}
