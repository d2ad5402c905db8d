package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	openaiwire "github.com/chorus-ai/chorus/internal/adapters/wire/openai"
	"github.com/chorus-ai/chorus/internal/domain"
)

// contextLength is what /api/show reports; Chorus has no window of its own,
// and clients (VS Code Copilot) size their prompts from it.
const contextLength = 131072

// modelFamily is the family/architecture reported for every Chorus model.
const modelFamily = "chorus"

// modelEpoch is the fixed creation time reported for models: they have none.
var modelEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// ollamaDetails is a model's details object.
type ollamaDetails struct {
	ParentModel       string   `json:"parent_model"`
	Format            string   `json:"format"`
	Family            string   `json:"family"`
	Families          []string `json:"families"`
	ParameterSize     string   `json:"parameter_size"`
	QuantizationLevel string   `json:"quantization_level"`
}

// ollamaModel is one /api/tags or /api/ps entry.
type ollamaModel struct {
	Name       string        `json:"name"`
	Model      string        `json:"model"`
	ModifiedAt string        `json:"modified_at,omitempty"`
	Size       int64         `json:"size"`
	Digest     string        `json:"digest"`
	Details    ollamaDetails `json:"details"`
	ExpiresAt  string        `json:"expires_at,omitempty"`
	SizeVRAM   *int64        `json:"size_vram,omitempty"`
}

// ollamaShow is the /api/show body.
type ollamaShow struct {
	Modelfile    string         `json:"modelfile"`
	Parameters   string         `json:"parameters"`
	Template     string         `json:"template"`
	Details      ollamaDetails  `json:"details"`
	ModelInfo    map[string]any `json:"model_info"`
	Capabilities []string       `json:"capabilities"`
	ModifiedAt   string         `json:"modified_at"`
}

func details() ollamaDetails {
	return ollamaDetails{Format: "gguf", Family: modelFamily, Families: []string{modelFamily},
		ParameterSize: "unknown", QuantizationLevel: "unknown"}
}

func digest(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

func ownedBy(m domain.ModelInfo) string {
	if m.IsWorkflow || m.Provider == "" {
		return "chorus"
	}
	return m.Provider
}

// root serves GET / like Ollama does.
func (s *Server) root(c echo.Context) error {
	return c.String(http.StatusOK, "Ollama is running")
}

// version serves GET /api/version.
func (s *Server) version(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"version": ollamaVersion})
}

// tags serves GET /api/tags.
func (s *Server) tags(c echo.Context) error {
	models := s.opts.Gateway.Models()
	out := make([]ollamaModel, 0, len(models))
	for _, m := range models {
		out = append(out, ollamaModel{Name: m.Name, Model: m.Name, ModifiedAt: rfc3339(modelEpoch),
			Digest: digest(m.Name), Details: details()})
	}
	return c.JSON(http.StatusOK, map[string][]ollamaModel{"models": out})
}

// ps serves GET /api/ps: every model counts as loaded.
func (s *Server) ps(c echo.Context) error {
	models := s.opts.Gateway.Models()
	out := make([]ollamaModel, 0, len(models))
	expires := rfc3339(s.now().Add(24 * time.Hour))
	var zero int64
	for _, m := range models {
		out = append(out, ollamaModel{Name: m.Name, Model: m.Name, Digest: digest(m.Name), Details: details(),
			ExpiresAt: expires, SizeVRAM: &zero})
	}
	return c.JSON(http.StatusOK, map[string][]ollamaModel{"models": out})
}

// models serves GET /v1/models.
func (s *Server) models(c echo.Context) error {
	models := s.opts.Gateway.Models()
	out := openaiwire.ModelList{Object: "list", Data: make([]openaiwire.Model, 0, len(models))}
	for _, m := range models {
		out.Data = append(out.Data, openAIModelOf(m))
	}
	return c.JSON(http.StatusOK, out)
}

// model serves GET /v1/models/{model}: the entry /v1/models lists under
// that id. The wildcard keeps ids with slashes ("org/name") whole.
func (s *Server) model(c echo.Context) error {
	id := c.Param("*")
	infoOf(c).model = id
	for _, m := range s.opts.Gateway.Models() {
		if m.Name == id {
			return c.JSON(http.StatusOK, openAIModelOf(m))
		}
	}
	return fmtUnknown(id)
}

func openAIModelOf(m domain.ModelInfo) openaiwire.Model {
	return openaiwire.Model{ID: m.Name, Object: "model", Created: modelEpoch.Unix(), OwnedBy: ownedBy(m)}
}

// showRequest is the /api/show body ("name" is the older field).
type showRequest struct {
	Model string `json:"model"`
	Name  string `json:"name"`
}

// show serves POST /api/show.
func (s *Server) show(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var in showRequest
	if err := unmarshalBody(body, &in); err != nil {
		return err
	}
	name := in.Model
	if name == "" {
		name = in.Name
	}
	if name == "" {
		return badRequest("model is required")
	}
	infoOf(c).model = name
	info, ok := s.knownModel(name)
	if !ok {
		return fmtUnknown(name)
	}
	return c.JSON(http.StatusOK, ollamaShow{
		Modelfile:  "# Chorus model " + name + "\nFROM " + name + "\n",
		Parameters: "", Template: "{{ .Prompt }}", Details: details(),
		ModelInfo: map[string]any{
			"general.architecture":          modelFamily,
			"general.basename":              name,
			modelFamily + ".context_length": contextLength,
		},
		Capabilities: capabilities(info),
		ModifiedAt:   rfc3339(modelEpoch),
	})
}

// knownModel finds the model by name, also with Ollama's ":latest" tag appended.
func (s *Server) knownModel(name string) (domain.ModelInfo, bool) {
	for _, m := range s.opts.Gateway.Models() {
		if m.Name == name || m.Name+":latest" == name {
			return m, true
		}
	}
	return domain.ModelInfo{}, false
}

// capabilities are Ollama's /api/show capabilities: "tools" and "vision"
// only where tool calls and images really reach a model that takes them.
func capabilities(m domain.ModelInfo) []string {
	out := []string{"completion"}
	if m.Tools {
		out = append(out, "tools")
	}
	if m.Vision {
		out = append(out, "vision")
	}
	return out
}

func fmtUnknown(name string) error {
	return &unknownModelError{name: name}
}

// unknownModelError is a 404 for /api/show and /v1/models/{model}.
type unknownModelError struct{ name string }

func (e *unknownModelError) Error() string { return "model " + e.name + " not found" }
func (e *unknownModelError) Unwrap() error { return domain.ErrUnknownModel }
