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

BASE="${1:-http://127.0.0.1:11435}"
BASE="${BASE%/}"
MODEL="${CHORUS_MODEL:-chorus}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
STATUS=""
N=0
HEADERS=""
BODY=""
CHECKS="$TMP/checks"
: >"$CHECKS"

AUTH=()
if [[ -n "${CHORUS_API_KEY:-}" ]]; then
  AUTH=(-H "Authorization: Bearer ${CHORUS_API_KEY}")
fi

# stream PATH JSON_BODY [extra curl args...]: POSTs without buffering and
# stores STATUS, and the headers and raw stream in the files named by
# $HEADERS and $BODY.
stream() {
  local path=$1 data=$2
  shift 2
  N=$((N + 1))
  HEADERS="$TMP/$N.headers"
  BODY="$TMP/$N.body"
  STATUS="$(curl -sS -N -X POST -o "$BODY" -D "$HEADERS" -w '%{http_code}' --max-time 120 \
    "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary "$data" "$@" "$BASE$path")" || true
  STATUS="${STATUS:-000}"
  touch "$BODY" "$HEADERS"
}

# check NAME PYTHON_EXPR records a check on the last stream (status 200 is
# required); report evaluates them all in one python3 run. The expression
# sees raw (the stream text), h (lower-cased headers), nd (the NDJSON
# objects, None when a line is not JSON), ev (the SSE events as
# (event_name, data_text) pairs, comment lines dropped) and json.
check() {
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$STATUS" "$BODY" "$HEADERS" "$2" >>"$CHECKS"
}

# report prints PASS/FAIL per check and fails when any check failed.
report() {
  python3 - "$CHECKS" <<'PY'
import json, sys

def ndjson(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]

def sse(text):
    events, name, data = [], None, []
    for line in text.splitlines() + [""]:
        if line == "":
            if data:
                events.append((name, "\n".join(data)))
            name, data = None, []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    return events

records = open(sys.argv[1], encoding="utf-8").read().splitlines()
failed = 0
for rec in records:
    name, status, body, headers, expr = rec.split("\t", 4)
    raw = open(body, encoding="utf-8", errors="replace").read()
    h = {}
    for line in open(headers, encoding="latin-1"):
        if ":" in line:
            k, v = line.split(":", 1)
            h[k.strip().lower()] = v.strip()
    env = {"raw": raw, "h": h, "json": json, "ev": sse(raw)}
    try:
        env["nd"] = ndjson(raw)
    except ValueError:
        env["nd"] = None
    why = ""
    if status != "200":
        ok, why = False, "want status 200"
    else:
        try:
            ok = bool(eval(expr, env))
        except Exception as e:  # a missing key is a failed check, not a crash
            ok, why = False, "check raised %r" % (e,)
    if ok:
        print("PASS  " + name)
        continue
    failed += 1
    print("FAIL  %s%s" % (name, " (%s)" % why if why else ""))
    print("      status=%s stream head: %s" % (status, raw[:600].replace("\n", "|")))
print("----")
print("checks: %d  failed: %d" % (len(records), failed))
sys.exit(1 if failed else 0)
PY
}

echo "Chorus streaming regression against $BASE (model $MODEL)"

# --- Responses API event stream ----------------------------------------------------
stream /v1/responses '{"model":"'"$MODEL"'","stream":true,"input":"Tell me a short story"}'
check "/v1/responses streams text/event-stream" 'h["content-type"].startswith("text/event-stream")'
check "/v1/responses: every event has a type equal to its event: line" \
  'len(ev) >= 9 and all(json.loads(d)["type"] == n for n, d in ev)'
check "/v1/responses: sequence_number strictly increases" \
  '(lambda s: len(s) > 1 and all(b > a for a, b in zip(s, s[1:])))([json.loads(d)["sequence_number"] for _, d in ev])'
check "/v1/responses: events come in the documented order" \
  '[n for n, _ in ev if n != "response.output_text.delta"] == ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]'
check "/v1/responses: deltas are strings with logprobs []" \
  'any(n == "response.output_text.delta" for n, _ in ev) and all(isinstance(json.loads(d)["delta"], str) and json.loads(d)["logprobs"] == [] for n, d in ev if n == "response.output_text.delta")'
check "/v1/responses: response.completed carries the full text, id and usage" \
  'json.loads(ev[-1][1])["response"]["output"][0]["content"][0]["text"] == "".join(json.loads(d)["delta"] for n, d in ev if n == "response.output_text.delta") and json.loads(ev[-1][1])["response"]["id"].startswith("resp") and json.loads(ev[-1][1])["response"]["status"] == "completed" and json.loads(ev[-1][1])["response"]["usage"]["total_tokens"] > 0'
check "/v1/responses: no [DONE] sentinel" '"[DONE]" not in raw'

# --- OpenAI chat stream with include_usage ---------------------------------------------
stream /v1/chat/completions '{"model":"'"$MODEL"'","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me a short story"}]}'
check "include_usage: the last chunk before [DONE] has choices [] and the usage" \
  'ev[-1][1] == "[DONE]" and json.loads(ev[-2][1])["choices"] == [] and json.loads(ev[-2][1])["usage"]["total_tokens"] > 0'
check "include_usage: the other chunks have no usage" \
  'all(json.loads(d).get("usage") is None for _, d in ev[:-2])'

# --- Ollama routes with Accept: text/event-stream ---------------------------------------
stream /api/chat '{"model":"'"$MODEL"'","messages":[{"role":"user","content":"Tell me a short story"}]}' -H 'Accept: text/event-stream'
check "/api/chat with Accept: text/event-stream streams SSE ending with [DONE]" \
  'h["content-type"].startswith("text/event-stream") and ev[-1][1] == "[DONE]" and "".join(json.loads(d)["message"]["content"] for _, d in ev[:-1]) != ""'
stream /api/generate '{"model":"'"$MODEL"'","prompt":"Tell me a short story"}' -H 'Accept: text/event-stream'
check "/api/generate with Accept: text/event-stream streams data: {\"response\":...} then [DONE]" \
  'h["content-type"].startswith("text/event-stream") and ev[-1][1] == "[DONE]" and "".join(json.loads(d)["response"] for _, d in ev[:-1]) != ""'

# --- include_workflow on streams ----------------------------------------------------------
stream /api/chat '{"model":"'"$MODEL"'","include_workflow":true,"messages":[{"role":"user","content":"Say hello"}]}'
check "include_workflow: the final NDJSON object carries the workflow" \
  'nd[-1]["done"] is True and isinstance(nd[-1]["workflow"], dict)'
stream /v1/responses '{"model":"'"$MODEL"'","stream":true,"include_workflow":true,"input":"Say hello"}'
check "include_workflow: response.completed carries the workflow" \
  'isinstance(json.loads(ev[-1][1]).get("workflow") or json.loads(ev[-1][1])["response"].get("workflow"), dict)'

report
