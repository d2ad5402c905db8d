package httpapi

import (
	"net/http"
	"testing"

	"github.com/chorus-ai/chorus/internal/domain"
)

// The fuzz targets run over testdata/fuzz/<Name>/ as ordinary tests; with
// `go test -fuzz` they explore further. Every decoder must either succeed
// with a usable request or fail with a 400 — never panic, never a 500.

func FuzzDecodeOllamaGenerate(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeOllamaGenerate(body)
		checkDecoded(t, req, err)
	})
}

func FuzzDecodeOllamaChat(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeOllamaChat(body)
		checkDecoded(t, req, err)
	})
}

func FuzzDecodeOpenAIChat(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _, err := decodeOpenAIChat(body)
		checkDecoded(t, req, err)
	})
}

func FuzzDecodeOpenAICompletion(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _, err := decodeOpenAICompletion(body)
		checkDecoded(t, req, err)
	})
}

func FuzzDecodeResponses(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		req, _, err := decodeResponses(body)
		checkDecoded(t, req, err)
	})
}

func FuzzDecodeShow(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		var in showRequest
		if err := unmarshalBody(body, &in); err != nil {
			checkDecoded(t, domain.ChatRequest{}, err)
		}
	})
}

func FuzzResponsesPrompt(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		var fields responsesPromptFields
		if unmarshalBody(body, &fields) != nil {
			return
		}
		msgs, err := responsesConversation(fields)
		if err != nil {
			if err.Error() != msgMissingInput {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, m := range msgs {
			if m.Content == "" {
				t.Fatalf("empty message in %#v", msgs)
			}
		}
	})
}

// checkDecoded asserts the decoder contract.
func checkDecoded(t *testing.T, req domain.ChatRequest, err error) {
	t.Helper()
	if err != nil {
		if he := classify(err); he.status != http.StatusBadRequest {
			t.Fatalf("decode error %v maps to %d, want 400", err, he.status)
		}
		return
	}
	if len(req.Messages) == 0 {
		t.Fatalf("decoded a request without messages")
	}
}
