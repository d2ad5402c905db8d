package openai

// ErrorBody is OpenAI's error response body and in-stream error event.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Error is OpenAI's Error object: param is required and nullable.
type Error struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    string  `json:"code"`
}

// Model is one entry of GET /v1/models and the body of GET /v1/models/{id}.
type Model struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// ModelList is the body of GET /v1/models (ListModelsResponse).
type ModelList struct {
	Object string  `json:"object"`
	Data   []Model `json:"data"`
}
