package upstream

import "github.com/chorus-ai/chorus/internal/domain"

// Adopt fills in the model and attempt count of an LLMError built by a
// decoder that does not know them, scrubbing its message.
func (e *Endpoint) Adopt(err *domain.LLMError, attempts int) *domain.LLMError {
	err.Model = e.model
	err.Attempts = attempts
	err.Message = e.scrub(err.Message)
	return err
}

// ProviderFailure turns an error a provider reported inside a 2xx body (or
// inside a stream) into an LLMError: a numeric code makes it a status
// error, anything else a bad response.
func ProviderFailure(msg string, code int) *domain.LLMError {
	if code > 0 {
		return &domain.LLMError{Kind: domain.LLMStatus, Status: code, Message: msg}
	}
	return &domain.LLMError{Kind: domain.LLMBadResponse, Message: "provider error: " + msg}
}

// BadResponse returns a bad_response LLMError with msg.
func BadResponse(msg string, cause error) *domain.LLMError {
	return &domain.LLMError{Kind: domain.LLMBadResponse, Message: msg, Err: cause}
}
