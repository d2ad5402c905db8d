#!/usr/bin/env bash
# test_stream.sh — manual regression of Chorus' basic streaming formats:
# Ollama NDJSON on /api/chat and /api/generate, and OpenAI SSE on
# /v1/chat/completions.
#
# Usage:  scripts/test_stream.sh [BASE_URL]     (default http://127.0.0.1:11435)
# Env:    CHORUS_MODEL    model name of the workflow (default "chorus")
#         CHORUS_API_KEY  sent as "Authorization: Bearer ..." when set
#
# Exits 1 when any check failed. Needs bash, curl and python3 (no jq).
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
regression_setup "$@"

echo "Chorus stream regression against $BASE (model $MODEL)"

# --- Ollama NDJSON ----------------------------------------------------------------
# Ollama streams by default: no "stream" field means stream:true.
stream /api/chat '{"model":"'"$MODEL"'","messages":[{"role":"user","content":"Tell me a short story"}]}'
check "/api/chat streams application/x-ndjson" 200 'h["content-type"].startswith("application/x-ndjson")'
check "/api/chat: every line is a JSON object, no SSE framing" 200 \
  'nd is not None and len(nd) >= 2 and not raw.startswith("data:")'
check "/api/chat: only the last object has done:true, with done_reason" 200 \
  'nd[-1]["done"] is True and nd[-1]["done_reason"] and all(o["done"] is False for o in nd[:-1])'
check "/api/chat: chunks carry assistant content that adds up to an answer" 200 \
  '"".join(o["message"]["content"] for o in nd) != "" and all(o["message"]["role"] == "assistant" for o in nd)'

stream /api/generate '{"model":"'"$MODEL"'","prompt":"Tell me a short story","stream":true}'
check "/api/generate streams NDJSON ending with done:true" 200 \
  'h["content-type"].startswith("application/x-ndjson") and nd[-1]["done"] is True and "".join(o["response"] for o in nd) != ""'

# --- OpenAI chat completions SSE ---------------------------------------------------
stream /v1/chat/completions '{"model":"'"$MODEL"'","stream":true,"messages":[{"role":"user","content":"Tell me a short story"}]}'
check "/v1/chat/completions streams text/event-stream" 200 'h["content-type"].startswith("text/event-stream")'
check "/v1/chat/completions ends with data: [DONE]" 200 'len(ev) >= 3 and ev[-1][1] == "[DONE]"'
check "/v1/chat/completions: the first chunk carries the assistant role" 200 \
  'json.loads(ev[0][1])["choices"][0]["delta"]["role"] == "assistant"'
check "/v1/chat/completions: every chunk is a chat.completion.chunk with one id" 200 \
  'len({json.loads(d)["id"] for _, d in ev[:-1]}) == 1 and all(json.loads(d)["object"] == "chat.completion.chunk" for _, d in ev[:-1])'
check "/v1/chat/completions: content arrives and one chunk has finish_reason stop" 200 \
  '"".join(c["choices"][0]["delta"].get("content") or "" for c in (json.loads(d) for _, d in ev[:-1]) if c["choices"]) != "" and any(c["choices"] and c["choices"][0]["finish_reason"] == "stop" for c in (json.loads(d) for _, d in ev[:-1]))'
check "/v1/chat/completions: no successful chunk has an error key" 200 \
  'all("error" not in json.loads(d) for _, d in ev[:-1])'

report
