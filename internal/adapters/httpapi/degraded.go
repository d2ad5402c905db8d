package httpapi

import (
	"net/http"
	"strings"

	"github.com/chorus-ai/chorus/internal/domain"
)

// HeaderDegraded names, comma-separated, the workflow stages that fell back
// for a non-streamed answer (e.g. "synthesizer"): the answer is real but
// not what the configuration asked for. A stream's headers go out before
// the stages finish, so a streamed answer says it only in its trace
// (include_workflow: status "degraded").
const HeaderDegraded = "X-Chorus-Degraded"

// setDegraded sets HeaderDegraded when the trace lists fallen-back stages.
func setDegraded(h http.Header, t *domain.ExecutionTrace) {
	if stages := t.DegradedStages(); len(stages) > 0 {
		h.Set(HeaderDegraded, strings.Join(stages, ","))
	}
}
