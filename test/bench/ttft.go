package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FirstChunkSource tells when the fake upstream flushed the first content
// chunk of the streamed request marked with id (fakeupstream.Server does, pre-encoded).
type FirstChunkSource interface {
	FirstChunk(id uint64) (time.Time, bool)
	NextID() uint64
}

// TTFTResult is the outcome of a streamed-workflow run.
type TTFTResult struct {
	// TTFT is the client's time to first content token.
	TTFT Summary
	// Relay is the client's first-token time minus the upstream
	// synthesizer's first-chunk flush time, per request.
	Relay Summary
}

// StreamTTFT runs conns concurrent streamed workflow requests for d. Each
// request carries a unique "bench-id:<n>" marker (markerPrefix) that the
// fake upstream finds in the synthesizer's prompt, so the client's first
// token can be matched with the synthesizer's first upstream token.
func StreamTTFT(ctx context.Context, client *http.Client, url, model, markerPrefix string, src FirstChunkSource, conns int, d time.Duration) TTFTResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg         sync.WaitGroup
		mu         sync.Mutex
		ttft, rel  []time.Duration
		errs       int
		firstError string
	)
	start := time.Now()
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				id := src.NextID()
				t0 := time.Now()
				first, err := streamOnce(ctx, client, url, model, markerPrefix+strconv.FormatUint(id, 10))
				if ctx.Err() != nil {
					return
				}
				if err == nil {
					up, ok := src.FirstChunk(id)
					if !ok {
						err = errors.New("the upstream recorded no streamed synthesizer call for this request")
					} else {
						mu.Lock()
						ttft = append(ttft, first.Sub(t0))
						rel = append(rel, first.Sub(up))
						mu.Unlock()
						continue
					}
				}
				mu.Lock()
				errs++
				if firstError == "" {
					firstError = err.Error()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	return TTFTResult{
		TTFT:  Summarize(ttft, errs, firstError, elapsed),
		Relay: Summarize(rel, errs, firstError, elapsed),
	}
}

// streamOnce sends one streamed chat request and returns when its first
// non-empty content delta arrived; it reads the stream to its [DONE].
func streamOnce(ctx context.Context, client *http.Client, url, model, marker string) (time.Time, error) {
	body, err := json.Marshal(map[string]any{
		"model":  model,
		"stream": true,
		"messages": []map[string]string{
			{"role": "user", "content": "Explain load benchmarks briefly. " + marker},
		},
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("encode request: %w", err)
	}
	req, err := Request{URL: url, Body: body, Stream: true}.newHTTPRequest(ctx)
	if err != nil {
		return time.Time{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return time.Time{}, fmt.Errorf("send: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return time.Time{}, fmt.Errorf("status %d", resp.StatusCode)
	}
	var first time.Time
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadBytes('\n')
		if data, ok := bytes.CutPrefix(bytes.TrimRight(line, "\r\n"), []byte("data: ")); ok {
			if bytes.Equal(data, []byte("[DONE]")) {
				if first.IsZero() {
					return first, errors.New("stream ended without content")
				}
				return first, nil
			}
			if first.IsZero() && hasContent(data) {
				first = time.Now()
			}
		}
		if err != nil {
			return first, fmt.Errorf("stream cut before [DONE]: %w", err)
		}
	}
}

// hasContent reports whether an OpenAI chunk carries non-empty content.
func hasContent(data []byte) bool {
	var c struct {
		Choices []struct {
			Delta struct {
				Content string `json:"content"`
			} `json:"delta"`
		} `json:"choices"`
	}
	if json.Unmarshal(data, &c) != nil {
		return false
	}
	for _, ch := range c.Choices {
		if ch.Delta.Content != "" {
			return true
		}
	}
	return false
}
