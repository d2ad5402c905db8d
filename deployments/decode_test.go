package deployments

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"
)

// k8sDir is the kustomize base under test.
const k8sDir = "k8s"

// typeMeta is enough of any manifest to pick its Go type.
type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

// newObject returns an empty typed object for apiVersion/kind, so strict
// decoding can reject fields the real API would not know.
func newObject(tm typeMeta) (any, error) {
	switch tm.APIVersion + "/" + tm.Kind {
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}, nil
	case "v1/Service":
		return &corev1.Service{}, nil
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}, nil
	case "v1/Secret":
		return &corev1.Secret{}, nil
	case "autoscaling/v2/HorizontalPodAutoscaler":
		return &autoscalingv2.HorizontalPodAutoscaler{}, nil
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}, nil
	case "kustomize.config.k8s.io/v1beta1/Kustomization":
		return &types.Kustomization{}, nil
	}
	return nil, fmt.Errorf("unexpected manifest kind %s %s", tm.APIVersion, tm.Kind)
}

// decodeStrict turns one YAML document into its typed object, failing on
// duplicate keys, unknown fields and trailing data.
func decodeStrict(doc []byte) (any, error) {
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return nil, fmt.Errorf("yaml: %w", err)
	}
	var tm typeMeta
	if err := json.Unmarshal(js, &tm); err != nil {
		return nil, fmt.Errorf("type meta: %w", err)
	}
	obj, err := newObject(tm)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return nil, fmt.Errorf("%s: %w", tm.Kind, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: trailing data", tm.Kind)
	}
	return obj, nil
}

var docSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// splitDocs splits a multi-document YAML stream, dropping empty documents.
func splitDocs(data []byte) [][]byte {
	var out [][]byte
	for _, d := range docSeparator.Split(string(data), -1) {
		if strings.TrimSpace(stripComments(d)) != "" {
			out = append(out, []byte(d))
		}
	}
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// manifestFiles lists the YAML files of the kustomize base.
func manifestFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(k8sDir, "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestManifests_decodeStrictly(t *testing.T) {
	for _, file := range manifestFiles(t) {
		t.Run(file+" decodes into k8s.io/api types without unknown fields", func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			docs := splitDocs(data)
			require.NotEmpty(t, docs)
			for _, doc := range docs {
				_, err := decodeStrict(doc)
				require.NoError(t, err)
			}
		})
	}
}

func TestDecodeStrict_rejectsMistakes(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{name: "a misspelled field fails", doc: "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {selectr: {a: b}}\n"},
		{name: "a field at the wrong level fails", doc: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nreplicas: 2\n"},
		{name: "a duplicate key fails", doc: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nmetadata: {name: y}\n"},
		{name: "an unknown kind fails", doc: "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"},
		{name: "a wrong value type fails", doc: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeStrict([]byte(tt.doc))
			require.Error(t, err)
		})
	}
}
