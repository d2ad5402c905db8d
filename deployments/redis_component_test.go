package deployments

import (
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// teamOverlay is the example overlay that adds the Redis component.
const teamOverlay = "overlays/team"

func TestRedisComponent_addsRedisAndPointsTheReplicasAtIt(t *testing.T) {
	var chorus, redis *appsv1.Deployment
	var redisSvc *corev1.Service
	for _, obj := range buildDecoded(t, teamOverlay) {
		switch o := obj.(type) {
		case *appsv1.Deployment:
			switch o.Name {
			case "chorus":
				chorus = o
			case "chorus-redis":
				redis = o
			}
		case *corev1.Service:
			if o.Name == "chorus-redis" {
				redisSvc = o
			}
		}
	}
	require.NotNil(t, chorus, "the overlay keeps the Chorus Deployment")
	require.NotNil(t, redis, "the component adds a Redis Deployment")
	require.NotNil(t, redisSvc, "and its Service")

	env, ok := envVar(chorusContainer(t, chorus), "REDIS_URL")
	require.True(t, ok, "the replicas get REDIS_URL")
	require.Equal(t, "redis://chorus-redis:6379/0", env.Value, "pointing at the component's Service")
	require.Equal(t, int32(6379), redisSvc.Spec.Ports[0].Port)
	require.Equal(t, redis.Spec.Template.Labels["app.kubernetes.io/name"], redisSvc.Spec.Selector["app.kubernetes.io/name"],
		"the Service selects the Redis pods")

	c := redis.Spec.Template.Spec.Containers[0]
	require.NotNil(t, c.SecurityContext)
	require.False(t, *c.SecurityContext.AllowPrivilegeEscalation)
	require.True(t, *c.SecurityContext.ReadOnlyRootFilesystem)
	require.Contains(t, c.Args, "--save", "no persistence: a cache and counters only")
}
