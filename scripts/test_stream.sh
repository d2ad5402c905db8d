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

echo "Chorus stream regression against $BASE (model $MODEL)"

# --- Ollama NDJSON ----------------------------------------------------------------
# Ollama streams by default: no "stream" field means stream:true.
stream /api/chat '{"model":"'"$MODEL"'","messages":[{"role":"user","content":"Tell me a short story"}]}'
check "/api/chat streams application/x-ndjson" 'h["content-type"].startswith("application/x-ndjson")'
check "/api/chat: every line is a JSON object, no SSE framing" \
  'nd is not None and len(nd) >= 2 and not raw.startswith("data:")'
check "/api/chat: only the last object has done:true, with done_reason" \
  'nd[-1]["done"] is True and nd[-1]["done_reason"] and all(o["done"] is False for o in nd[:-1])'
check "/api/chat: chunks carry assistant content that adds up to an answer" \
  '"".join(o["message"]["content"] for o in nd) != "" and all(o["message"]["role"] == "assistant" for o in nd)'

stream /api/generate '{"model":"'"$MODEL"'","prompt":"Tell me a short story","stream":true}'
check "/api/generate streams NDJSON ending with done:true" \
  'h["content-type"].startswith("application/x-ndjson") and nd[-1]["done"] is True and "".join(o["response"] for o in nd) != ""'

# --- OpenAI chat completions SSE ---------------------------------------------------
stream /v1/chat/completions '{"model":"'"$MODEL"'","stream":true,"messages":[{"role":"user","content":"Tell me a short story"}]}'
check "/v1/chat/completions streams text/event-stream" 'h["content-type"].startswith("text/event-stream")'
check "/v1/chat/completions ends with data: [DONE]" 'len(ev) >= 3 and ev[-1][1] == "[DONE]"'
check "/v1/chat/completions: the first chunk carries the assistant role" \
  'json.loads(ev[0][1])["choices"][0]["delta"]["role"] == "assistant"'
check "/v1/chat/completions: every chunk is a chat.completion.chunk with one id" \
  'len({json.loads(d)["id"] for _, d in ev[:-1]}) == 1 and all(json.loads(d)["object"] == "chat.completion.chunk" for _, d in ev[:-1])'
check "/v1/chat/completions: content arrives and one chunk has finish_reason stop" \
  '"".join(c["choices"][0]["delta"].get("content") or "" for c in (json.loads(d) for _, d in ev[:-1]) if c["choices"]) != "" and any(c["choices"] and c["choices"][0]["finish_reason"] == "stop" for c in (json.loads(d) for _, d in ev[:-1]))'
check "/v1/chat/completions: no successful chunk has an error key" \
  'all("error" not in json.loads(d) for _, d in ev[:-1])'

report
