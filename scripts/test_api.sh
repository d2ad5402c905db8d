#!/usr/bin/env bash
# test_api.sh — manual regression of Chorus' non-streaming HTTP API.
#
# Usage:  scripts/test_api.sh [BASE_URL [ADMIN_URL]]
#         BASE_URL   default http://127.0.0.1:11435
#         ADMIN_URL  the admin listener serving /metrics ([server] admin_addr);
#                    default: BASE_URL's host on the port after BASE_URL's
#                    (the default admin_addr is 127.0.0.1:<port + 1>);
#                    "off" skips the metrics checks
# Env:    CHORUS_MODEL    model name of the workflow (default "chorus")
#         CHORUS_API_KEY  sent as "Authorization: Bearer ..." when set
#
# Start a server first, e.g. `make run` (offline demo), then run this script.
# Every check prints PASS or FAIL; the script exits 1 when any check failed.
# Needs bash, curl and python3 (no jq).
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
regression_setup "$@"
ADMIN="${2:-}"
if [[ -z "$ADMIN" && "$BASE" =~ ^(https?://[^/]+):([0-9]+)$ ]]; then
  ADMIN="${BASH_REMATCH[1]}:$((BASH_REMATCH[2] + 1))"
fi
ADMIN="${ADMIN%/}"

echo "Chorus API regression against $BASE (model $MODEL)"

# --- health and discovery -----------------------------------------------------
req GET /
check "GET / says Ollama is running" 200 '"Ollama is running" in raw'
req GET /healthz
check "GET /healthz is 200" 200 'True'
req GET /readyz
check "GET /readyz is 200" 200 'True'
req GET /api/version
check "GET /api/version is numeric and >= 0.6.4" 200 \
  'tuple(int(x) for x in j["version"].split("-")[0].split(".")[:3]) >= (0, 6, 4)'
req GET /api/tags
check "GET /api/tags lists the workflow first" 200 \
  'j["models"][0]["name"] == "'"$MODEL"'" and all("details" in m and "digest" in m for m in j["models"])'
req GET /v1/models
check "GET /v1/models is an OpenAI list with the workflow first" 200 \
  'j["object"] == "list" and j["data"][0]["id"] == "'"$MODEL"'" and all(m["object"] == "model" for m in j["data"])'
req POST /api/show '{"model":"'"$MODEL"'"}'
check "POST /api/show has completion capability and a context length" 200 \
  '"completion" in j["capabilities"] and any(k.endswith("context_length") for k in j["model_info"])'
req GET /api/ps
check "GET /api/ps returns a models list" 200 'isinstance(j["models"], list)'
req GET /openapi.yaml
check "GET /openapi.yaml serves the OpenAPI document" 200 '"openapi:" in raw and "/v1/chat/completions" in raw'

# --- chat and completions (non-streaming) --------------------------------------
req POST /api/chat '{"model":"'"$MODEL"'","stream":false,"messages":[{"role":"user","content":"Say hello"}]}'
check "POST /api/chat (stream:false) answers as Ollama" 200 \
  'j["done"] is True and j["message"]["role"] == "assistant" and j["message"]["content"] != "" and j["created_at"] and j["model"] == "'"$MODEL"'"'
req POST /api/generate '{"model":"'"$MODEL"'","stream":false,"prompt":"Say hello"}'
check "POST /api/generate (stream:false) answers as Ollama" 200 \
  'j["done"] is True and j["response"] != "" and j["created_at"]'
req POST /v1/chat/completions '{"model":"'"$MODEL"'","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}]}'
check "POST /v1/chat/completions answers as OpenAI" 200 \
  'j["object"] == "chat.completion" and j["choices"][0]["message"]["content"] != "" and j["choices"][0]["finish_reason"] == "stop" and isinstance(j["created"], int) and j["usage"]["total_tokens"] > 0'
req POST /v1/completions '{"model":"'"$MODEL"'","prompt":"Say hello"}'
check "POST /v1/completions answers as OpenAI" 200 \
  'j["object"] == "text_completion" and j["choices"][0]["text"] != ""'
req POST /v1/responses '{"model":"'"$MODEL"'","instructions":"Be brief.","input":"Say hello"}'
check "POST /v1/responses answers with a completed response" 200 \
  'j["object"] == "response" and j["status"] == "completed" and j["output"][0]["content"][0]["type"] == "output_text" and j["output"][0]["content"][0]["text"] != "" and isinstance(j["created_at"], int)'
req POST /v1/responses '{"model":"'"$MODEL"'","input":[{"role":"user","content":[{"type":"input_text","text":"Say hello"}]}]}'
check "POST /v1/responses accepts input content parts" 200 'j["status"] == "completed"'

# --- include_workflow ----------------------------------------------------------
req POST /v1/chat/completions '{"model":"'"$MODEL"'","include_workflow":true,"messages":[{"role":"user","content":"Say hello"}]}'
check "include_workflow adds the workflow trace (OpenAI chat)" 200 \
  'isinstance(j["workflow"], dict) and len(j["workflow"]["workers"]) > 0'
req POST /api/chat '{"model":"'"$MODEL"'","stream":false,"include_workflow":true,"messages":[{"role":"user","content":"Say hello"}]}'
check "include_workflow adds the workflow trace (Ollama chat)" 200 'isinstance(j["workflow"], dict)'
req POST /v1/responses '{"model":"'"$MODEL"'","include_workflow":true,"input":"Say hello"}'
check "include_workflow adds the workflow trace (Responses)" 200 'isinstance(j["workflow"], dict)'
req POST /v1/chat/completions '{"model":"'"$MODEL"'","messages":[{"role":"user","content":"Say hello"}]}'
check "without include_workflow there is no workflow key" 200 '"workflow" not in j'

# --- request ids and errors ------------------------------------------------------
req GET /api/version '' -H 'X-Request-ID: regression-42'
check "X-Request-ID is echoed" 200 'h.get("x-request-id") == "regression-42"'
req POST /v1/responses '{}'
check "POST /v1/responses with {} is a 400 with the documented message" 400 \
  'j["error"]["message"] == "invalid request: missing input/messages/prompt/instructions" and j["error"]["type"]'
req POST /v1/chat/completions '{"model":'
check "malformed JSON is a 400 error object" 400 'isinstance(j["error"]["message"], str) and j["error"]["message"] != ""'
req POST /v1/chat/completions '{"model":"'"$MODEL"'","messages":"not a list"}'
check "a field of the wrong type is a 400 error object" 400 'isinstance(j["error"]["message"], str)'
req GET /no/such/route
check "an unknown route is a 404 error object" 404 'isinstance(j["error"]["message"], str)'

# --- metrics (after the traffic above) --------------------------------------------
req GET /metrics
check "GET /metrics is not on the public port" 404 'isinstance(j["error"]["message"], str)'
req GET /debug/pprof/
check "GET /debug/pprof/ is not on the public port" 404 'isinstance(j["error"]["message"], str)'
if [[ "$ADMIN" != "off" && -n "$ADMIN" ]]; then
  curl_to_files --max-time 30 "$ADMIN/metrics"
  check "GET /metrics on the admin listener ($ADMIN) counts requests, upstream calls and tokens" 200 \
    'all(n in raw for n in ("chorus_http_requests_total", "chorus_upstream_requests_total", "chorus_workflows_in_flight", "gen_ai_client_token_usage"))'
fi

report
