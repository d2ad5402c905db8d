// Package deployments holds Chorus' delivery artefacts (docker/, k8s/, otel/)
// and the tests that keep them consistent with the server: every Kubernetes
// manifest decodes strictly into k8s.io/api types, the kustomize base builds,
// and the probes, ports, config path, security settings and key handling
// match what the chorus binary and its Dockerfile expect.
package deployments
