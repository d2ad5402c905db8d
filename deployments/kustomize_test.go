package deployments

import (
	"net"
	"path"
	"regexp"
	"strconv"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Facts about the server the manifests must agree with.
const (
	serverPort    = 11435
	adminPort     = 11436 // the admin listener: /metrics
	metricsPath   = "/metrics"
	readinessPath = "/readyz"
	livenessPath  = "/healthz"
	configKey     = "config.toml"
	containerName = "chorus"
)

// bundle is the kustomize build output, one typed object per kind.
type bundle struct {
	deployment *appsv1.Deployment
	service    *corev1.Service
	configMap  *corev1.ConfigMap
	hpa        *autoscalingv2.HorizontalPodAutoscaler
	pdb        *policyv1.PodDisruptionBudget
	secrets    []*corev1.Secret
}

// buildBase runs kustomize over the on-disk base and decodes every resulting
// resource strictly.
func buildBase(t *testing.T) bundle {
	t.Helper()
	var b bundle
	for _, obj := range buildDecoded(t, k8sDir) {
		switch o := obj.(type) {
		case *appsv1.Deployment:
			require.Nil(t, b.deployment, "one Deployment")
			b.deployment = o
		case *corev1.Service:
			require.Nil(t, b.service, "one Service")
			b.service = o
		case *corev1.ConfigMap:
			require.Nil(t, b.configMap, "one ConfigMap")
			b.configMap = o
		case *autoscalingv2.HorizontalPodAutoscaler:
			b.hpa = o
		case *policyv1.PodDisruptionBudget:
			b.pdb = o
		case *corev1.Secret:
			b.secrets = append(b.secrets, o)
		}
	}
	for kind, present := range map[string]bool{
		"Deployment": b.deployment != nil, "Service": b.service != nil, "ConfigMap": b.configMap != nil,
		"HorizontalPodAutoscaler": b.hpa != nil, "PodDisruptionBudget": b.pdb != nil,
	} {
		require.True(t, present, "the base builds a %s", kind)
	}
	return b
}

// buildDecoded runs kustomize over dir and decodes every resulting resource
// strictly into its k8s.io/api type.
func buildDecoded(t *testing.T, dir string) []any {
	t.Helper()
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	require.NoError(t, err)
	var out []any
	for _, r := range m.Resources() {
		y, err := r.AsYAML()
		require.NoError(t, err)
		obj, err := decodeStrict(y)
		require.NoError(t, err, "built resource %s/%s", r.GetKind(), r.GetName())
		out = append(out, obj)
	}
	return out
}

// chorusContainer returns the chorus container of the Deployment.
func chorusContainer(t *testing.T, d *appsv1.Deployment) corev1.Container {
	t.Helper()
	for _, c := range d.Spec.Template.Spec.Containers {
		if c.Name == containerName {
			return c
		}
	}
	t.Fatalf("no container %q", containerName)
	return corev1.Container{}
}

// envVar returns the named env entry of c.
func envVar(c corev1.Container, name string) (corev1.EnvVar, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e, true
		}
	}
	return corev1.EnvVar{}, false
}

// containerPort resolves a probe or Service port (number or name) to the
// container's port number; 0 when it names nothing.
func containerPort(c corev1.Container, p intstr.IntOrString) int32 {
	for _, cp := range c.Ports {
		if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
			return cp.ContainerPort
		}
	}
	return 0
}

// configPath is where the Deployment mounts the ConfigMap's config.toml:
// the mount path joined with the item path of the config volume.
func configPath(t *testing.T, b bundle, c corev1.Container) string {
	t.Helper()
	for _, v := range b.deployment.Spec.Template.Spec.Volumes {
		if v.ConfigMap == nil || v.ConfigMap.Name != b.configMap.Name {
			continue
		}
		file := configKey
		for _, it := range v.ConfigMap.Items {
			if it.Key == configKey {
				file = it.Path
			}
		}
		for _, vm := range c.VolumeMounts {
			if vm.Name == v.Name {
				require.True(t, vm.ReadOnly, "the config is mounted read-only")
				return path.Join(vm.MountPath, file)
			}
		}
	}
	t.Fatalf("the Deployment does not mount ConfigMap %q", b.configMap.Name)
	return ""
}

func TestKustomizeBase_probesAndPorts(t *testing.T) {
	b := buildBase(t)
	c := chorusContainer(t, b.deployment)

	t.Run("the Deployment runs two replicas", func(t *testing.T) {
		require.NotNil(t, b.deployment.Spec.Replicas)
		require.Equal(t, int32(2), *b.deployment.Spec.Replicas)
	})
	t.Run("the container exposes the server port as http", func(t *testing.T) {
		require.Equal(t, int32(serverPort), containerPort(c, intstr.FromString("http")))
	})
	t.Run("readiness probes /readyz and liveness /healthz on the server port", func(t *testing.T) {
		for name, tc := range map[string]struct {
			probe *corev1.Probe
			path  string
		}{"readiness": {c.ReadinessProbe, readinessPath}, "liveness": {c.LivenessProbe, livenessPath}} {
			require.NotNil(t, tc.probe, name)
			require.NotNil(t, tc.probe.HTTPGet, name)
			require.Equal(t, tc.path, tc.probe.HTTPGet.Path, name)
			require.Equal(t, int32(serverPort), containerPort(c, tc.probe.HTTPGet.Port), name)
		}
	})
	t.Run("the container exposes the admin listener as admin, and Prometheus scrapes it there", func(t *testing.T) {
		require.Equal(t, int32(adminPort), containerPort(c, intstr.FromString("admin")))
		a := b.deployment.Spec.Template.Annotations
		require.Equal(t, "true", a["prometheus.io/scrape"])
		require.Equal(t, strconv.Itoa(adminPort), a["prometheus.io/port"], "metrics are not on the public port")
		require.Equal(t, metricsPath, a["prometheus.io/path"])
	})
	t.Run("the Service targets the server port only and selects the pods", func(t *testing.T) {
		require.Len(t, b.service.Spec.Ports, 1, "the admin listener is not exposed by the Service")
		require.Equal(t, int32(serverPort), containerPort(c, b.service.Spec.Ports[0].TargetPort))
		requireSelects(t, b.service.Spec.Selector, b.deployment.Spec.Template.Labels)
	})
	t.Run("the PDB and HPA fit the Deployment", func(t *testing.T) {
		require.NotNil(t, b.pdb.Spec.Selector)
		requireSelects(t, b.pdb.Spec.Selector.MatchLabels, b.deployment.Spec.Template.Labels)
		require.Equal(t, "Deployment", b.hpa.Spec.ScaleTargetRef.Kind)
		require.Equal(t, b.deployment.Name, b.hpa.Spec.ScaleTargetRef.Name)
		require.NotNil(t, b.hpa.Spec.MinReplicas)
		require.NotNil(t, b.pdb.Spec.MinAvailable)
		require.Greater(t, int(*b.hpa.Spec.MinReplicas), b.pdb.Spec.MinAvailable.IntValue(),
			"the PDB must leave room to evict a pod at the HPA's minimum")
		require.GreaterOrEqual(t, b.hpa.Spec.MaxReplicas, *b.hpa.Spec.MinReplicas)
	})
	t.Run("requests and limits are set for cpu and memory", func(t *testing.T) {
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, lim := c.Resources.Requests[res], c.Resources.Limits[res]
			require.False(t, req.IsZero(), "request %s", res)
			require.False(t, lim.IsZero(), "limit %s", res)
			require.LessOrEqual(t, req.Cmp(lim), 0, "request %s within limit", res)
		}
	})
}

// requireSelects checks that every selector label is on the pods.
func requireSelects(t *testing.T, selector, podLabels map[string]string) {
	t.Helper()
	require.NotEmpty(t, selector)
	for k, v := range selector {
		require.Equal(t, v, podLabels[k], "selector label %s", k)
	}
}

func TestKustomizeBase_securityContext(t *testing.T) {
	b := buildBase(t)
	pod := b.deployment.Spec.Template.Spec
	c := chorusContainer(t, b.deployment)
	sc := c.SecurityContext
	require.NotNil(t, sc)

	t.Run("the pod runs as a non-root user with the runtime's seccomp profile", func(t *testing.T) {
		require.NotNil(t, pod.SecurityContext)
		require.True(t, deref(pod.SecurityContext.RunAsNonRoot))
		require.NotNil(t, pod.SecurityContext.SeccompProfile)
		require.Equal(t, corev1.SeccompProfileTypeRuntimeDefault, pod.SecurityContext.SeccompProfile.Type)
		require.False(t, deref(pod.AutomountServiceAccountToken), "no API token is mounted")
	})
	t.Run("the container is locked down", func(t *testing.T) {
		require.True(t, deref(sc.RunAsNonRoot))
		require.True(t, deref(sc.ReadOnlyRootFilesystem))
		require.NotNil(t, sc.AllowPrivilegeEscalation)
		require.False(t, *sc.AllowPrivilegeEscalation)
		require.False(t, deref(sc.Privileged))
		require.NotNil(t, sc.Capabilities)
		require.Equal(t, []corev1.Capability{"ALL"}, sc.Capabilities.Drop)
		require.Empty(t, sc.Capabilities.Add)
		require.NotNil(t, sc.SeccompProfile)
		require.Equal(t, corev1.SeccompProfileTypeRuntimeDefault, sc.SeccompProfile.Type)
	})
	t.Run("the user is the image's non-root user", func(t *testing.T) {
		require.NotNil(t, sc.RunAsUser)
		require.Equal(t, dockerfile(t).uid, *sc.RunAsUser)
	})
}

func deref(b *bool) bool { return b != nil && *b }

func TestKustomizeBase_configAndSecrets(t *testing.T) {
	b := buildBase(t)
	c := chorusContainer(t, b.deployment)
	mounted := configPath(t, b, c)
	cfg := parseConfig(t, b.configMap.Data[configKey])
	secret := exampleSecret(t)

	t.Run("CHORUS_CONFIG is the mounted config file and the Dockerfile's path", func(t *testing.T) {
		e, ok := envVar(c, "CHORUS_CONFIG")
		require.True(t, ok)
		require.Equal(t, mounted, e.Value)
		require.Equal(t, dockerfile(t).env["CHORUS_CONFIG"], e.Value)
	})
	t.Run("the ConfigMap's name is hashed so config edits roll the pods", func(t *testing.T) {
		require.Regexp(t, `^chorus-config-[a-z0-9]{10}$`, b.configMap.Name)
	})
	t.Run("the config listens on every interface at the container port", func(t *testing.T) {
		require.Equal(t, "0.0.0.0", cfg.Server.Host)
		require.Equal(t, serverPort, cfg.Server.Port)
	})
	t.Run("the admin listener binds the pod's interfaces at the admin port, without pprof", func(t *testing.T) {
		require.Equal(t, net.JoinHostPort("0.0.0.0", strconv.Itoa(adminPort)), cfg.Server.AdminAddr)
		require.False(t, cfg.Server.Pprof, "pprof would be open to whatever reaches the pod")
	})
	t.Run("every api_key is a ${NAME} filled from the Secret", func(t *testing.T) {
		require.NotEmpty(t, cfg.Models)
		for _, m := range cfg.Models {
			if m.APIKey == "" {
				continue
			}
			match := envRef.FindStringSubmatch(m.APIKey)
			require.NotNil(t, match, "model %s: api_key must be ${NAME}", m.Name)
			e, ok := envVar(c, match[1])
			require.True(t, ok, "model %s: env %s is not set by the Deployment", m.Name, match[1])
			require.NotNil(t, e.ValueFrom, "env %s", e.Name)
			require.NotNil(t, e.ValueFrom.SecretKeyRef, "env %s comes from a Secret", e.Name)
			require.Equal(t, secret.Name, e.ValueFrom.SecretKeyRef.Name)
			require.Contains(t, secret.StringData, e.ValueFrom.SecretKeyRef.Key)
		}
	})
	t.Run("the OTLP endpoint is configured by env", func(t *testing.T) {
		e, ok := envVar(c, "OTEL_EXPORTER_OTLP_ENDPOINT")
		require.True(t, ok)
		require.Regexp(t, `^https?://[^/\s]+:\d+$`, e.Value)
	})
	t.Run("the base carries no Secret so applying it never clobbers real keys", func(t *testing.T) {
		require.Empty(t, b.secrets)
	})
}

// envRef is the ${NAME} form of an api_key.
var envRef = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)

// chorusConfig is the part of Chorus' TOML these tests read.
type chorusConfig struct {
	Server struct {
		Host      string `toml:"host"`
		Port      int    `toml:"port"`
		AdminAddr string `toml:"admin_addr"`
		Pprof     bool   `toml:"pprof"`
	} `toml:"server"`
	Models []struct {
		Name   string `toml:"name"`
		APIKey string `toml:"api_key"`
	} `toml:"model"`
}

func parseConfig(t *testing.T, text string) chorusConfig {
	t.Helper()
	require.NotEmpty(t, text, "the ConfigMap holds %s", configKey)
	var cfg chorusConfig
	require.NoError(t, toml.Unmarshal([]byte(text), &cfg))
	return cfg
}
