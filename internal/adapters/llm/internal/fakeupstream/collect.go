package fakeupstream

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Raw serves a fixed body with a content type.
func Raw(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = fmt.Fprint(w, body)
	}
}

// Deltas collects the deltas a stream emits.
type Deltas []domain.Delta

// Emit appends x; pass it as a stream's emit function.
func (d *Deltas) Emit(x domain.Delta) error { *d = append(*d, x); return nil }

// Text joins the collected deltas' text.
func (d Deltas) Text() string {
	var b strings.Builder
	for _, x := range d {
		b.WriteString(x.Text)
	}
	return b.String()
}
