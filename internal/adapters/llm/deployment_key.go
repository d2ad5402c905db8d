package llm

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/chorus-ai/chorus/internal/domain"
)

// deploymentKey names a deployment of model in the shared health store:
// every replica with the same configuration derives the same key, and two
// deployments on one host with different API keys get different ones. The
// key is a digest, so neither the API key nor the address is written to
// the store.
func deploymentKey(model string, d domain.Deployment) string {
	h := sha256.New()
	for _, part := range []string{model, d.Provider, d.APIBase, d.APIKey.Reveal()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return model + ":" + hex.EncodeToString(h.Sum(nil)[:12])
}
