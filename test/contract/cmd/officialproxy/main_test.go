package main

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExchangesChecksEveryAnswerOfAConnection(t *testing.T) {
	sent := "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n" +
		"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
	good := `{"object":"list","data":[{"id":"chorus","object":"model","created":1,"owned_by":"chorus"}]}`
	broken := `{"error":{"message":"an OpenAI-shaped error on an Ollama route"}}`
	received := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + itoa(len(good)) + "\r\n\r\n" + good +
		"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
		hex(len(broken)) + "\r\n" + broken + "\r\n0\r\n\r\n"
	checked, skipped, errs := exchanges([]byte(sent), []byte(received))
	require.Equal(t, 2, checked)
	require.Zero(t, skipped)
	require.Len(t, errs, 1)
	require.Contains(t, errs[0].Error(), "/api/chat")
}

func itoa(n int) string { return strconv.Itoa(n) }

func hex(n int) string { return strconv.FormatInt(int64(n), 16) }
