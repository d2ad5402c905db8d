#!/usr/bin/env bash
# test_streaming.sh — manual regression of Chorus' richer streaming features:
# the Responses API event stream, stream_options.include_usage, the Ollama
# routes' SSE variant (Accept: text/event-stream) and include_workflow on a
# stream.
#
# Usage:  scripts/test_streaming.sh [BASE_URL]     (default http://127.0.0.1:11435)
# Env:    CHORUS_MODEL    model name of the workflow (default "chorus")
#         CHORUS_API_KEY  sent as "Authorization: Bearer ..." when set
#
# Exits 1 when any check failed. Needs bash, curl and python3 (no jq).
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
regression_setup "$@"

echo "Chorus streaming regression against $BASE (model $MODEL)"

# --- Responses API event stream ----------------------------------------------------
stream /v1/responses '{"model":"'"$MODEL"'","stream":true,"input":"Tell me a short story"}'
check "/v1/responses streams text/event-stream" 200 'h["content-type"].startswith("text/event-stream")'
check "/v1/responses: every event has a type equal to its event: line" 200 \
  'len(ev) >= 9 and all(json.loads(d)["type"] == n for n, d in ev)'
check "/v1/responses: sequence_number strictly increases" 200 \
  '(lambda s: len(s) > 1 and all(b > a for a, b in zip(s, s[1:])))([json.loads(d)["sequence_number"] for _, d in ev])'
check "/v1/responses: events come in the documented order (progress reasoning item, then the message)" 200 \
  '[n for n, _ in ev if not n.endswith("_text.delta")] == ["response.created", "response.in_progress", "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done", "response.output_item.added", "response.content_part.added", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]'
check "/v1/responses: the reasoning item holds the streamed progress lines" 200 \
  'json.loads(ev[-1][1])["response"]["output"][0]["summary"][0]["text"] == "".join(json.loads(d)["delta"] for n, d in ev if n == "response.reasoning_summary_text.delta") != ""'
check "/v1/responses: deltas are strings with logprobs []" 200 \
  'any(n == "response.output_text.delta" for n, _ in ev) and all(isinstance(json.loads(d)["delta"], str) and json.loads(d)["logprobs"] == [] for n, d in ev if n == "response.output_text.delta")'
check "/v1/responses: response.completed carries the full text, id and usage" 200 \
  '[i for i in json.loads(ev[-1][1])["response"]["output"] if i["type"] == "message"][0]["content"][0]["text"] == "".join(json.loads(d)["delta"] for n, d in ev if n == "response.output_text.delta") and json.loads(ev[-1][1])["response"]["id"].startswith("resp") and json.loads(ev[-1][1])["response"]["status"] == "completed" and json.loads(ev[-1][1])["response"]["usage"]["total_tokens"] > 0'
check "/v1/responses: no [DONE] sentinel" 200 '"[DONE]" not in raw'

# --- OpenAI chat stream with include_usage ---------------------------------------------
stream /v1/chat/completions '{"model":"'"$MODEL"'","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me a short story"}]}'
check "include_usage: the last chunk before [DONE] has choices [] and the usage" 200 \
  'ev[-1][1] == "[DONE]" and json.loads(ev[-2][1])["choices"] == [] and json.loads(ev[-2][1])["usage"]["total_tokens"] > 0'
check "include_usage: the other chunks have no usage" 200 \
  'all(json.loads(d).get("usage") is None for _, d in ev[:-2])'

# --- Ollama routes with Accept: text/event-stream ---------------------------------------
stream /api/chat '{"model":"'"$MODEL"'","messages":[{"role":"user","content":"Tell me a short story"}]}' -H 'Accept: text/event-stream'
check "/api/chat with Accept: text/event-stream streams SSE ending with [DONE]" 200 \
  'h["content-type"].startswith("text/event-stream") and ev[-1][1] == "[DONE]" and "".join(json.loads(d)["message"]["content"] for _, d in ev[:-1]) != ""'
stream /api/generate '{"model":"'"$MODEL"'","prompt":"Tell me a short story"}' -H 'Accept: text/event-stream'
check "/api/generate with Accept: text/event-stream streams data: {\"response\":...} then [DONE]" 200 \
  'h["content-type"].startswith("text/event-stream") and ev[-1][1] == "[DONE]" and "".join(json.loads(d)["response"] for _, d in ev[:-1]) != ""'

# --- include_workflow on streams ----------------------------------------------------------
stream /api/chat '{"model":"'"$MODEL"'","include_workflow":true,"messages":[{"role":"user","content":"Say hello"}]}'
check "include_workflow: the final NDJSON object carries the workflow" 200 \
  'nd[-1]["done"] is True and isinstance(nd[-1]["workflow"], dict)'
stream /v1/responses '{"model":"'"$MODEL"'","stream":true,"include_workflow":true,"input":"Say hello"}'
check "include_workflow: response.completed carries the workflow" 200 \
  'isinstance(json.loads(ev[-1][1]).get("workflow") or json.loads(ev[-1][1])["response"].get("workflow"), dict)'

report
