#!/usr/bin/env bash
# common.sh — shared by the manual HTTP regression scripts (test_api.sh,
# test_stream.sh, test_streaming.sh). Source it, then call
# regression_setup "$@" once:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#   regression_setup "$@"
#
# It sets BASE (first argument, default http://127.0.0.1:11435, no trailing
# slash), MODEL (CHORUS_MODEL, default "chorus"), AUTH (curl arguments for
# CHORUS_API_KEY) and a temporary directory removed on exit. req and stream
# send requests, check records an expectation on the last response and report
# evaluates every recorded check in one python3 run (lib/report.py) and exits
# 1 when any failed.
# Needs bash, curl and python3 (no jq).

COMMON_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# regression_setup [BASE_URL]: the globals every helper below uses.
regression_setup() {
  BASE="${1:-http://127.0.0.1:11435}"
  BASE="${BASE%/}"
  # shellcheck disable=SC2034 # used by the scripts that source this file
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
}

# curl_to_files CURL_ARGS...: runs curl on the next pair of response files,
# stores STATUS (000 when curl failed) and points $HEADERS and $BODY at them.
curl_to_files() {
  N=$((N + 1))
  HEADERS="$TMP/$N.headers"
  BODY="$TMP/$N.body"
  STATUS="$(curl -sS -o "$BODY" -D "$HEADERS" -w '%{http_code}' "${AUTH[@]}" "$@")" || true
  STATUS="${STATUS:-000}"
  touch "$BODY" "$HEADERS"
}

# req METHOD PATH [JSON_BODY] [extra curl args...]: one buffered request.
req() {
  local method=$1 path=$2 data=${3:-}
  shift $(($# < 3 ? $# : 3))
  local args=(-X "$method" --max-time 60 "$@")
  if [[ -n "$data" ]]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$data")
  fi
  curl_to_files "${args[@]}" "$BASE$path"
}

# stream PATH JSON_BODY [extra curl args...]: POSTs without buffering; the
# raw stream ends up in $BODY.
stream() {
  local path=$1 data=$2
  shift 2
  curl_to_files -N -X POST --max-time 120 \
    -H 'Content-Type: application/json' --data-binary "$data" "$@" "$BASE$path"
}

# check NAME WANT_STATUS PYTHON_EXPR records a check on the last response;
# report evaluates them all in one python3 run (its start-up is slow on some
# machines). The expression sees j (decoded JSON or None), raw (the body
# text), h (lower-cased response headers), nd (the NDJSON objects, None when
# a line is not JSON), ev (the SSE events as (event_name, data_text) pairs,
# comment lines dropped) and json.
check() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$STATUS" "$BODY" "$HEADERS" "$3" >>"$CHECKS"
}

# report prints PASS/FAIL per check and fails when any check failed.
report() {
  python3 "$COMMON_LIB_DIR/report.py" "$CHECKS"
}
