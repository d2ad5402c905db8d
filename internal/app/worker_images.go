package app

import (
	"fmt"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// workerMessages is the conversation a worker gets: the client's own, or
// the same with the images the worker cannot take left out (with the note
// the trace records): all of them for a model configured with vision =
// false, and image URLs for an Ollama model, since Ollama takes images
// inline only (base64) and would reject the whole request for a URL.
func (r *run) workerMessages(spec domain.ModelSpec) ([]domain.Message, string) {
	if spec.Vision.Set && !spec.Vision.Value {
		n := countImages(r.messages, func(string) bool { return true })
		if n == 0 {
			return r.messages, ""
		}
		r.textOnlyOnce.Do(func() { r.textOnly = withoutImages(r.messages, func(string) bool { return true }) })
		return r.textOnly, fmt.Sprintf("%d image(s) left out: the model is configured with vision = false", n)
	}
	if !servedByOllama(spec) {
		return r.messages, ""
	}
	n := countImages(r.messages, isImageURL)
	if n == 0 {
		return r.messages, ""
	}
	r.inlineOnlyOnce.Do(func() { r.inlineOnly = withoutImages(r.messages, isImageURL) })
	return r.inlineOnly, fmt.Sprintf("%d image URL(s) left out: Ollama takes inline (base64 or data:) images only", n)
}

// servedByOllama reports whether any deployment of the model speaks
// Ollama's API (a URL would break the requests that land there).
func servedByOllama(spec domain.ModelSpec) bool {
	if spec.Provider == domain.ProviderOllama {
		return true
	}
	for _, d := range spec.Deployments {
		if d.Provider == domain.ProviderOllama {
			return true
		}
	}
	return false
}

// isImageURL reports whether an image is a link rather than inline data.
func isImageURL(img string) bool {
	return strings.HasPrefix(img, "http://") || strings.HasPrefix(img, "https://")
}

func countImages(msgs []domain.Message, drop func(string) bool) int {
	n := 0
	for _, m := range msgs {
		for _, img := range m.Images {
			if drop(img) {
				n++
			}
		}
	}
	return n
}

// withoutImages copies msgs without the images drop selects.
func withoutImages(msgs []domain.Message, drop func(string) bool) []domain.Message {
	out := make([]domain.Message, len(msgs))
	for i, m := range msgs {
		if len(m.Images) > 0 {
			kept := make([]string, 0, len(m.Images))
			for _, img := range m.Images {
				if !drop(img) {
					kept = append(kept, img)
				}
			}
			if len(kept) == 0 {
				kept = nil
			}
			m.Images = kept
		}
		out[i] = m
	}
	return out
}
